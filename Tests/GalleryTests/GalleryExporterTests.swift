import ArchiveStore
import Foundation
import TestSupport
import Testing

@testable import Gallery

/// Exports of a real archive (sample tasks, PngSuite images, hostile prompts and ids) checked on disk.
@Suite struct GalleryExporterTests {
  @discardableResult
  static func export(_ archive: SampleArchive, to folder: URL, _ change: (inout GalleryOptions) -> Void = { _ in })
    throws -> GalleryReport
  {
    var options = GalleryOptions()
    change(&options)
    return try GalleryExporter(store: archive.store, options: options).export(to: folder)
  }

  static func page(_ folder: URL, _ path: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
  }

  @Test func writesAPagePerTaskAFamilyPageAndTheAssets() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let report = try Self.export(archive, to: folder)
    #expect(report.tasks == 7)
    #expect(report.indexPath == folder.appendingPathComponent("index.html").path)
    for id in [SampleArchive.imagine, SampleArchive.upscale, SampleArchive.cjkPrompt] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(PageNames.taskPage(id)).path))
    }
    let family = try Self.page(folder, PageNames.familyPage(SampleArchive.imagine))
    #expect(family.contains(SampleArchive.upscale))
    let index = try Self.page(folder, "index.html")
    #expect(index.components(separatedBy: "<li class=\"tile").count - 1 == 7)
    #expect(index.contains("7 tasks"))
    let rows = try Self.page(folder, "assets/search/d0.js")
    #expect(rows.contains("\"\(SampleArchive.cjkPrompt)\""))
    // Tasks, family, index, CSS and two scripts, and the search index: its index, columns, one file of rows and of words.
    #expect(report.pagesWritten == 7 + 1 + 1 + 3 + 5)
    // The grid's page shows its four quadrants, U2 marked with the upscale made from it.
    let grid = try Self.page(folder, PageNames.taskPage(SampleArchive.imagine))
    #expect(grid.components(separatedBy: "<li class=\"quadrant").count - 1 == 4)
    #expect(grid.contains("quadrant upscaled"))
    #expect(grid.contains("href=\"../../\(PageNames.taskPage(SampleArchive.upscale))\""))
    #expect(grid.contains("--sref https://s.mj.run/ktqQpnwPoPk"))
    let upscale = try Self.page(folder, PageNames.taskPage(SampleArchive.upscale))
    #expect(upscale.contains("<dt>Made from</dt>"))
    #expect(upscale.contains("U2 · IMAGINE \(SampleArchive.imagine)"))
  }

  /// A seed the gateway gave (sync --seeds) shows on the task's page, and a new one rewrites only that page.
  @Test func aRecordedSeedShowsOnItsTaskPage() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder)
    #expect(!(try Self.page(folder, PageNames.taskPage(SampleArchive.imagine))).contains("<dt>Seed</dt>"))
    try archive.store.recordSeed("3141592653", taskId: SampleArchive.imagine)
    let report = try Self.export(archive, to: folder)
    #expect(
      try Self.page(folder, PageNames.taskPage(SampleArchive.imagine)).contains("<dt>Seed</dt><dd>3141592653</dd>"))
    #expect(report.pagesWritten < 7)
  }

  @Test func valuesFromTheGatewayRenderAsText() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder)
    let script = try Self.page(folder, PageNames.taskPage(SampleArchive.scriptPrompt))
    #expect(script.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; a fox"))
    #expect(!script.contains("<img src=x"))
    // The inline JSON cannot close its <script> element.
    #expect(script.contains(#"\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e a fox"#))
    #expect(script.components(separatedBy: "</script>").count - 1 == 2)  // gallery.js and the JSON element
    let svg = try Self.page(folder, PageNames.taskPage(SampleArchive.svgPrompt))
    #expect(!svg.contains("<svg"))
    #expect(svg.contains("&quot;&gt;&lt;svg onload=alert(1)&gt; owl"))
    let index = try Self.page(folder, "index.html")
    #expect(index.contains("title=\"&quot;&gt;&lt;svg onload=alert(1)&gt; owl --ar 16:9 --v 7\""))
    #expect(!index.contains("<svg") && !index.contains("<img src=x"))
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("assets/search").path)
    {
      let file = try Self.page(folder, "assets/search/" + name)
      #expect(!file.contains("</script") && !file.contains("<svg"), "\(name)")
    }
  }

  @Test func idsThatAreNotPlainGetHashedFileNamesInsideTheGallery() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder)
    for id in [SampleArchive.pathLikeId, SampleArchive.mixedCase] {
      let path = PageNames.taskPage(id)
      #expect(
        path.hasPrefix("t/")
          && path.utf8.allSatisfy { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") || $0 >= 0x30 })
      #expect(!path.contains(".."))
      let page = try Self.page(folder, path)
      #expect(page.contains(id.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")))
    }
    #expect(PageNames.name(of: SampleArchive.imagine) == SampleArchive.imagine)
    #expect(PageNames.name(of: "AbC-def") != PageNames.name(of: "abc-def"))
    #expect(
      !FileManager.default.fileExists(
        atPath: archive.scratch.deletingLastPathComponent().appendingPathComponent("evil").path))
  }

  @Test func imagesAreHardLinkedOrCopiedNeverReencoded() throws {
    let archive = try SampleArchive()
    let linked = archive.galleryFolder("linked")
    let report = try Self.export(archive, to: linked)
    #expect(report.imagesLinked == 7)  // two originals, four quadrants, one thumbnail
    #expect(report.thumbnailsMade == 4)  // the grid's quadrants had none
    #expect(report.imagesMissing == 0)
    let original = try #require(
      try archive.store.archivedTasks(among: [SampleArchive.imagine]).first?.files.first { $0.kind == .original })
    let source = archive.directory.appendingPathComponent(original.path).path
    let target = linked.appendingPathComponent(PageNames.image(sha256: original.sha256, fileExtension: "png")).path
    #expect(try Self.inode(source) == Self.inode(target))
    let copied = archive.galleryFolder("copied")
    let copyReport = try Self.export(archive, to: copied) { $0.copyImages = true }
    #expect(copyReport.imagesCopied == 7 && copyReport.imagesLinked == 0)
    let copy = copied.appendingPathComponent(PageNames.image(sha256: original.sha256, fileExtension: "png")).path
    #expect(try Self.inode(source) != Self.inode(copy))
    #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: source))
  }

  @Test func aBrokenImageInTheArchiveShowsAsItIsAndTheRestExports() throws {
    let archive = try SampleArchive()
    let quadrant = try #require(
      try archive.store.archivedTasks(among: [SampleArchive.imagine]).first?.files.first {
        $0.kind == .quadrant && $0.part == 3
      })
    // A truncated PNG where U3 should be (the row's hash no longer matches: the gallery names it by the row).
    try Data(contentsOf: SampleArchive.pngSuite.appendingPathComponent("xcrn0g04.png")).write(
      to: archive.directory.appendingPathComponent(quadrant.path))
    let folder = archive.galleryFolder()
    let report = try Self.export(archive, to: folder)
    #expect(report.thumbnailsMade == 3)
    #expect(report.tasks == 7)
    let grid = try Self.page(folder, PageNames.taskPage(SampleArchive.imagine))
    let u3 = PageNames.image(sha256: quadrant.sha256, fileExtension: "png")
    #expect(grid.contains("<img src=\"../../\(u3)\""))  // the thumbnail gave way to the quadrant itself
    let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test func aSecondExportRewritesOnlyWhatChanged() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let first = try Self.export(archive, to: folder)
    let again = try Self.export(archive, to: folder)
    #expect(again.pagesWritten == 0)
    #expect(again.pagesUnchanged == first.pagesWritten)
    #expect(again.thumbnailsMade == 0 && again.imagesLinked == 0)
    let gridPage = folder.appendingPathComponent(PageNames.taskPage(SampleArchive.imagine)).path
    let gridInode = try Self.inode(gridPage)
    _ = try archive.store.store(
      try SampleArchive.task(SampleArchive.cjkPrompt, prompt: "一只白猫在雪地里 --ar 3:2 --niji 6", time: 1_741_800_000_000))
    let changed = try Self.export(archive, to: folder)
    // The task's page (not its two neighbours': their links are ids, so unchanged), the index, and the search
    // index's file of rows and of words (its columns and times stay).
    #expect(changed.pagesWritten == 4)
    #expect(try Self.page(folder, PageNames.taskPage(SampleArchive.cjkPrompt)).contains("一只白猫"))
    #expect(try Self.inode(gridPage) == gridInode)
    #expect(!(try Self.page(folder, "assets/search/d0.js")).contains("黑猫"))
  }

  @Test func pagesOfTasksNoLongerExportedAreRemoved() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder)
    let owl = folder.appendingPathComponent(PageNames.taskPage(SampleArchive.svgPrompt)).path
    #expect(FileManager.default.fileExists(atPath: owl))
    let subset = try Self.export(archive, to: folder) { $0.query = SearchQuery(text: "cat") }
    #expect(subset.tasks == 2)
    #expect(!FileManager.default.fileExists(atPath: owl))
    #expect(subset.filesRemoved == 5)
    // One family: the imagine and its upscale, whichever task names it.
    let family = try Self.export(archive, to: archive.galleryFolder()) { $0.familyOf = SampleArchive.upscale }
    #expect(family.tasks == 2)
  }

  /// The sample tasks of one action: the prompt "cat".
  static func cats(action: String) -> SearchQuery {
    var query = SearchQuery(text: "cat")
    query.action = action
    return query
  }

  @Test func tasksOutsideTheGalleryAreNamedNotLinked() throws {
    let archive = try SampleArchive()
    let gridOnly = archive.galleryFolder()
    try Self.export(archive, to: gridOnly) { $0.query = Self.cats(action: "IMAGINE") }
    let grid = try Self.page(gridOnly, PageNames.taskPage(SampleArchive.imagine))
    #expect(grid.contains("<span class=\"upscale\">Upscaled: \(SampleArchive.upscale)</span>"))
    #expect(grid.contains("\(SampleArchive.upscale) (not in this gallery)"))
    #expect(!grid.contains(PageNames.taskPage(SampleArchive.upscale)))
    let upscaleOnly = archive.galleryFolder()
    try Self.export(archive, to: upscaleOnly) { $0.query = Self.cats(action: "UPSCALE") }
    let upscale = try Self.page(upscaleOnly, PageNames.taskPage(SampleArchive.upscale))
    #expect(upscale.contains("U2 · \(SampleArchive.imagine) (not in this gallery)"))
  }

  @Test func leftoversOfAnInterruptedExportAreCleanedUp() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder)
    // What a kill between writing a temporary page and renaming it leaves, with the marker of an unfinished run.
    let shard = folder.appendingPathComponent(PageNames.taskPage(SampleArchive.imagine)).deletingLastPathComponent()
    let leftover = shard.appendingPathComponent(".\(SampleArchive.imagine).html.4242.tmp")
    let stray = folder.appendingPathComponent("t/zz/old.html")
    try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true)
    for file in [leftover, stray, folder.appendingPathComponent(GalleryFolder.unfinishedMarkerName)] {
      try Data("half a page".utf8).write(to: file)
    }
    let report = try Self.export(archive, to: folder)
    #expect(report.filesRemoved == 2)
    #expect(!FileManager.default.fileExists(atPath: leftover.path))
    #expect(!FileManager.default.fileExists(atPath: stray.path))
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent(GalleryFolder.unfinishedMarkerName).path))
    // A first export killed before its manifest was written leaves a folder the next export still takes.
    let first = archive.galleryFolder()
    try FileManager.default.createDirectory(
      at: first.appendingPathComponent("t/46"), withIntermediateDirectories: true)
    try Data().write(to: first.appendingPathComponent(GalleryFolder.unfinishedMarkerName))
    try Data("half".utf8).write(to: first.appendingPathComponent("t/46/.x.html.99.tmp"))
    let resumed = try Self.export(archive, to: first)
    #expect(resumed.tasks == 7 && resumed.filesRemoved == 1)
  }

  @Test func aFolderThatIsNotAGalleryIsRefusedUntouched() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: folder.appendingPathComponent("index.html"))
    #expect(throws: GalleryError.notAGallery(path: folder.path)) { try Self.export(archive, to: folder) }
    #expect(try Self.page(folder, "index.html") == "mine")
  }

  @Test func templatesFromAFolderReplaceTheBuiltInOnes() throws {
    let archive = try SampleArchive()
    let templates = archive.galleryFolder("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try Data("<!DOCTYPE html><title>{{id}}</title><p>custom {{prompt}}</p>".utf8).write(
      to: templates.appendingPathComponent("task.mustache"))
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder) { $0.templates = templates }
    let page = try Self.page(folder, PageNames.taskPage(SampleArchive.scriptPrompt))
    #expect(
      page
        == "<!DOCTYPE html><title>\(SampleArchive.scriptPrompt)</title><p>custom &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; a fox</p>"
    )
    #expect(try Self.page(folder, "index.html").contains("class=\"tile"))
    // Regression: a syntax error printed the Mustache library's debug structure.
    try Data("<p>\n{{#open}} never closed {{name".utf8).write(to: templates.appendingPathComponent("task.mustache"))
    #expect(
      throws: GalleryError.badTemplate(
        file: templates.appendingPathComponent("task.mustache").path,
        reason: "Mustache syntax at line 2, column 30: the template ends inside a tag")
    ) {
      try Self.export(archive, to: archive.galleryFolder()) { $0.templates = templates }
    }
  }

  @Test func everyPageParsesWithoutErrorsInStrictHTML5() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try Self.export(archive, to: folder) { $0.pageSize = 2 }  // older index pages too
    let validator = BrowserRun.browserFolder.appendingPathComponent("validate.py")
    let output = try await withoutBlockingThePool { try BrowserRun.python(validator.path, [folder.path]) }
    let result = try JSONSerialization.jsonObject(with: Data(output.utf8))
    let object = try #require(result as? [String: Any])
    #expect(object["pages"] as? Int == 7 + 1 + 3)  // tasks, family, index.html + p/1 + p/2
    #expect((object["errors"] as? [String]) == [], "\(object["errors"] ?? "")")
  }

  static func inode(_ path: String) throws -> UInt64 {
    var status = stat()
    guard stat(path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
    return UInt64(status.st_ino)
  }
}
