import Testing

@testable import FileExport

@Suite struct FileLayoutTests {
  @Test func theDefaultMakesYearAndMonthFoldersWithThePromptAndTask() throws {
    let layout = try FileLayout()
    let path = layout.path([
      .year: "2026", .month: "03", .date: "2026-03-10", .prompt: "A Red Fox, in fresh snow!", .id: "1320098173412546",
      .part: "2", .ext: "png",
    ])
    #expect(path == "2026/03/2026-03-10_a-red-fox-in-fresh-snow_1320098173412546-2.png")
    #expect(
      layout.path([.year: "2026", .month: "03", .date: "2026-03-10", .id: "7", .ext: "png"])
        == "2026/03/2026-03-10_untitled_7.png")
  }

  /// Values come from the gateway: none may add a folder, leave the export, hide a file or name a device.
  @Test func hostileValuesStayOneSafeName() throws {
    let layout = try FileLayout("{prompt}/{id}.{ext}")
    #expect(layout.path([.prompt: "../../etc/passwd", .id: "../../evil<b>", .ext: "png"]) == "etc-passwd/evil-b.png")
    #expect(layout.path([.prompt: "con", .id: "nul", .ext: "png"]) == "_con/_nul.png")
    #expect(layout.path([.prompt: "\u{0}\u{1B}\u{7}\n\t", .id: "x", .ext: "png"]) == "untitled/x.png")
    #expect(
      layout.path([.prompt: "</script><svg onload=alert(1)>", .id: "x", .ext: "png"])
        == "script-svg-onload-alert-1/x.png")
  }

  /// A limit counts bytes and cuts between characters: 48 bytes of Chinese are 16 characters.
  @Test func aLimitCountsBytesAndKeepsCharactersWhole() throws {
    let layout = try FileLayout("{prompt:48}")
    let path = layout.path([.prompt: String(repeating: "黑猫", count: 40)])
    #expect(path == String(repeating: "黑猫", count: 8))
    #expect(path.utf8.count == 48)
    let decomposed = try FileLayout("{prompt:5}").path([.prompt: "e\u{301}e\u{301}e\u{301}"])
    #expect(decomposed == "éé")  // NFC first: é is two bytes
  }

  @Test(arguments: [
    ("../{id}.{ext}", ". or .."), ("a/./{id}", ". or .."), ("/tmp/{id}", "absolute"), ("{id}/", "names a folder"),
    ("{name}.{ext}", "{name} is not a field"), ("{id", "does not pair"), ("{id}}", "does not pair"),
    ("{prompt:0}", "not a number from 1 to 200"), ("{prompt:x}", "not a number"), ("a:b/{id}", "\":\""),
    ("a\\b", "\"\\\""), ("a//{id}", "empty folder name"), ("", "empty"),
  ])
  func aBadTemplateIsRefusedSayingWhy(template: String, reason: String) {
    let error = #expect(throws: FileExportError.self) { try FileLayout(template) }
    #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    #expect(error?.exitCode == 2)
  }

  @Test func longNamesAreCutBeforeTheirExtension() throws {
    let name = PathSlug.safeName(String(repeating: "a", count: 300) + ".png")
    #expect(name.utf8.count == PathSlug.maximumNameBytes)
    #expect(name.hasSuffix("a.png"))
    #expect(PathSlug.safeName("name. . ") == "name")
    #expect(PathSlug.safeName(".hidden") == "_.hidden")
  }

  @Test func variantsNumberBeforeTheExtension() {
    #expect(ExportPlan.variant("2026/03/a.png", 2) == "2026/03/a~2.png")
    #expect(ExportPlan.variant("2026/03/a.png.json", 3) == "2026/03/a.png~3.json")
    #expect(ExportPlan.isVariant("2026/03/a~12.png", of: "2026/03/a.png"))
    #expect(!ExportPlan.isVariant("2026/03/a~1.png", of: "2026/03/a.png"))
    #expect(!ExportPlan.isVariant("2026/03/ab.png", of: "2026/03/a.png"))
  }
}
