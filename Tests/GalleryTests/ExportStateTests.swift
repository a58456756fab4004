import ArchiveStore
import Foundation
import SafeFiles
import TestSupport
import Testing

@testable import Gallery

/// An export from the archive state, options and gallery the last export left stops at once, with the report a full
/// export would make; anything else changed redoes it.
@Suite struct ExportStateTests {
  private static func manifest(_ folder: URL) -> String {
    folder.appendingPathComponent(GalleryFolder.manifestName).path
  }

  /// True when the export left the manifest as it was: it stopped without redoing anything.
  private static func stopped(_ folder: URL, _ export: () throws -> GalleryReport) throws -> (Bool, GalleryReport) {
    let before = try GalleryExporterTests.inode(manifest(folder))
    let report = try export()
    return (try GalleryExporterTests.inode(manifest(folder)) == before, report)
  }

  @Test func anExportFromTheSameInputStopsWithTheReportOfAFullOne() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: folder)
    let full = try GalleryExporterTests.export(archive, to: folder)
    let (stopped, report) = try Self.stopped(folder) { try GalleryExporterTests.export(archive, to: folder) }
    #expect(stopped)
    #expect(report == full)
    #expect(report.pagesWritten == 0 && report.pagesUnchanged > 0 && report.imagesUnchanged > 0)
    #expect(
      !FileManager.default.fileExists(atPath: folder.appendingPathComponent(GalleryFolder.unfinishedMarkerName).path))
    let lines = try String(contentsOfFile: Self.manifest(folder), encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "mjarchive-gallery 3")
    #expect(lines.dropFirst().first?.hasPrefix("@export ") == true)
    #expect(lines.contains("@folder \(try Self.folderStamp(folder, "i")) i"))
  }

  private static func folderStamp(_ gallery: URL, _ folder: String) throws -> String {
    var status = stat()
    guard stat(gallery.appendingPathComponent(folder).path, &status) == 0 else { throw CocoaError(.fileNoSuchFile) }
    return try #require(FileStamp.ofFolder(status))
  }

  @Test func aChangedTaskOptionPageOrImageFolderRedoesTheExport() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: folder)
    let task = PageNames.taskPage(SampleArchive.cjkPrompt)
    let page = folder.appendingPathComponent(task)
    let changes: [(String, () throws -> Void, (inout GalleryOptions) -> Void)] = [
      (
        "a task the gateway described again",
        {
          _ = try archive.store.store(
            try SampleArchive.task(SampleArchive.cjkPrompt, prompt: "白猫", time: 1_741_800_000_000))
        },
        { _ in }
      ),
      ("another title", {}, { $0.title = "Foxes" }),
      ("the title back", {}, { $0.title = GalleryOptions().title }),
      ("a page removed", { try FileManager.default.removeItem(at: page) }, { _ in }),
      ("a page rewritten in place", { try Data("x".utf8).write(to: page, options: []) }, { _ in }),
      (
        "a file left in an image folder",
        {
          let images = folder.appendingPathComponent("i")
          let shard = try #require(try FileManager.default.contentsOfDirectory(atPath: images.path).sorted().first)
          try Data("stray".utf8).write(to: images.appendingPathComponent("\(shard)/stray.png"))
        },
        { _ in }
      ),
    ]
    var options = GalleryOptions()
    for (name, change, option) in changes {
      try change()
      option(&options)
      let (stopped, report) = try Self.stopped(folder) {
        try GalleryExporter(store: archive.store, options: options).export(to: folder)
      }
      #expect(!stopped, "\(name)")
      #expect(report.pagesWritten > 0 || name.contains("image folder"), "\(name)")
      let (stoppedAgain, _) = try Self.stopped(folder) {
        try GalleryExporter(store: archive.store, options: options).export(to: folder)
      }
      #expect(stoppedAgain, "\(name), exported again")
    }
    #expect(try GalleryExporterTests.page(folder, task).contains("白猫"))
  }
}
