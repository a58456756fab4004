import Foundation
import TestSupport
import Testing

/// `mjarchive export-gallery` end to end on the archive `demo` makes: real simulator images, synced and split.
@Suite struct ExportGalleryCommandTests {
  @Test func exportsASubsetAndExplainsWhatItCannotDo() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-gallery-command-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let demo = try await CommandRunner.run([
      "demo", "--task-seconds", "0.2", "--image-size", "small", "--out", folder.appendingPathComponent("archive").path,
    ])
    #expect(demo.status == 0, "\(demo.stderr)")
    let archive = ["--archive", folder.appendingPathComponent("archive").path]
    let gallery = folder.appendingPathComponent("foxes")

    let export = try await CommandRunner.run(
      ["export-gallery", gallery.path, "--query", "fox", "--action", "imagine", "--title", "Foxes <3"] + archive)
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stderr.isEmpty)  // no progress line off a terminal
    let lines = export.stdout.split(separator: "\n")
    // Two task pages, their family's, the index, three assets and the search index's five files.
    #expect(lines.first?.hasPrefix("2 tasks · pages: 12 written") == true, "\(export.stdout)")
    #expect(lines.last.map(String.init) == gallery.appendingPathComponent("index.html").path)
    let index = try String(contentsOf: gallery.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(index.contains("<title>Newest · Foxes &lt;3</title>"))

    // The demo's own gallery (every task, the fox's family with a zoom) parses strictly, page by page.
    let validator = BrowserRun.browserFolder.appendingPathComponent("validate.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [validator.path, folder.appendingPathComponent("archive/gallery").path]
    let validation = try ProcessOutcome.run(process, input: nil)
    #expect(validation.status == 0, "\(validation.stderr)")
    // Index, six task pages (the fox again came by callback) and the fox's family.
    #expect(validation.stdout.hasPrefix("{\"pages\": 8, \"errors\": []}"), "\(validation.stdout)")
    // The fox made twice with one seed: each imagine's page shows the other's four quadrants as similar.
    let pages = folder.appendingPathComponent("archive/gallery/t")
    let strips = try FileManager.default.subpathsOfDirectory(atPath: pages.path).filter { $0.hasSuffix(".html") }.map {
      let page = try String(contentsOf: pages.appendingPathComponent($0), encoding: .utf8)
      return page.components(separatedBy: "<section class=\"similar\">").dropFirst().first?
        .components(separatedBy: "</section>")[0].components(separatedBy: "<li>").count ?? 1
    }
    #expect(strips.filter { $0 - 1 >= 4 }.count >= 2, "\(strips)")

    let again = try await CommandRunner.run(
      ["export-gallery", gallery.path, "--query", "fox", "--action", "imagine"] + archive)
    #expect(again.stdout.contains("images: 0 linked, 0 copied, 14 unchanged"), "\(again.stdout)")

    let other = folder.appendingPathComponent("not-a-gallery")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: other.appendingPathComponent("notes.txt"))
    let refused = try await CommandRunner.run(["export-gallery", other.path] + archive)
    #expect(refused.status == 1)
    #expect(
      refused.stderr
        == "mjarchive: \(other.path) is not empty and holds no mjarchive gallery; export into a new or empty folder\n")

    let badDate = try await CommandRunner.run(["export-gallery", gallery.path, "--since", "March"] + archive)
    #expect(badDate.status == 2)
    #expect(badDate.stderr.contains("--since"))

    let badQuery = try await CommandRunner.run(["export-gallery", gallery.path, "--query", "(fox"] + archive)
    #expect(badQuery.status == 1)
    #expect(badQuery.stderr.split(separator: "\n").count == 1)
  }
}
