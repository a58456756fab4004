import ArchiveStore
import Foundation
import SafeFiles
import TestSupport
import Testing

@testable import Gallery

/// A gallery folder someone else can write into: links planted in it, pages replaced, two exports at once.
@Suite struct GalleryFolderTests {
  /// A folder outside the gallery whose files must survive every export.
  private final class Victim {
    let folder: URL
    init(in archive: SampleArchive) throws {
      folder = archive.scratch.appendingPathComponent("victim-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for name in Self.expected.keys { try Data(name.utf8).write(to: folder.appendingPathComponent(name)) }
    }

    static var expected: [String: String] { ["keep.html": "keep.html", "notes.txt": "notes.txt"] }

    /// Every file as it was, and nothing added.
    var untouched: Bool {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
      return names == Self.expected.keys.sorted()
        && names.allSatisfy { (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) == $0 }
    }
  }

  /// Replaces `relative` in the gallery by a link to `target`.
  private static func plant(_ gallery: URL, _ relative: String, to target: URL) throws {
    let link = gallery.appendingPathComponent(relative)
    try? FileManager.default.removeItem(at: link)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
  }

  /// Regression: a re-export wrote pages into, and a subset export deleted files from, the folder a planted link
  /// pointed at.
  @Test func aLinkedPageFolderIsRefusedByNameAndNothingBehindItIsTouched() throws {
    let archive = try SampleArchive()
    let gallery = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: gallery)
    let page = PageNames.taskPage(SampleArchive.imagine)
    let folder = (page as NSString).deletingLastPathComponent
    let victim = try Victim(in: archive)
    try Self.plant(gallery, folder, to: victim.folder)
    let refusal = GalleryError.folder(.symbolicLink(path: gallery.appendingPathComponent(folder).path))
    #expect(throws: refusal) { try GalleryExporterTests.export(archive, to: gallery) }
    #expect(throws: refusal) {
      try GalleryExporterTests.export(archive, to: gallery) { $0.query = SearchQuery(text: "owl") }
    }
    #expect(victim.untouched)
    #expect(refusal.description.hasPrefix("\(gallery.path)/\(folder) is a symbolic link: mjarchive never follows"))
  }

  /// Regression: a re-export replaced the files of a linked image folder with hard links to archive images.
  @Test func aLinkedImageFolderIsRefusedByName() throws {
    let archive = try SampleArchive()
    let gallery = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: gallery)
    let imageFolder = try #require(
      try FileManager.default.contentsOfDirectory(atPath: gallery.appendingPathComponent("i").path).sorted().first)
    let victim = try Victim(in: archive)
    for name in try FileManager.default.contentsOfDirectory(
      atPath: gallery.appendingPathComponent("i/\(imageFolder)").path)
    {
      try Data("victim's".utf8).write(to: victim.folder.appendingPathComponent(name))
    }
    let before = try FileManager.default.contentsOfDirectory(atPath: victim.folder.path).sorted()
    try Self.plant(gallery, "i/\(imageFolder)", to: victim.folder)
    #expect(throws: GalleryError.folder(.symbolicLink(path: gallery.appendingPathComponent("i/\(imageFolder)").path))) {
      try GalleryExporterTests.export(archive, to: gallery)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: victim.folder.path).sorted() == before)
    for name in before where !Victim.expected.keys.contains(name) {
      #expect(try String(contentsOf: victim.folder.appendingPathComponent(name), encoding: .utf8) == "victim's")
    }
  }

  /// Regression: a page replaced by a link or by other bytes was believed unchanged and left as it was.
  @Test func aPageReplacedByALinkOrOtherBytesIsWrittenAgain() throws {
    let archive = try SampleArchive()
    let gallery = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: gallery)
    let index = try GalleryExporterTests.page(gallery, "index.html")
    let task = PageNames.taskPage(SampleArchive.upscale)
    let page = try GalleryExporterTests.page(gallery, task)
    let victim = try Victim(in: archive)
    try Self.plant(gallery, "index.html", to: victim.folder.appendingPathComponent("keep.html"))
    // The same number of bytes, so only the file's identity tells.
    try Data(String(repeating: "x", count: page.utf8.count).utf8).write(to: gallery.appendingPathComponent(task))
    let report = try GalleryExporterTests.export(archive, to: gallery)
    #expect(report.pagesWritten == 2)
    #expect(try GalleryExporterTests.page(gallery, "index.html") == index)
    #expect(try GalleryExporterTests.page(gallery, task) == page)
    let status = try #require(try OwnedFolder(gallery).status("index.html"))
    #expect(status.st_mode & S_IFMT == S_IFREG)
    #expect(victim.untouched)
  }

  /// Regression: two exports into one gallery both exited 0 and left missing files and broken links.
  @Test func aSecondExportIntoTheSameGalleryWaitsForNone() throws {
    let archive = try SampleArchive()
    let gallery = archive.galleryFolder()
    let first = try GalleryFolder(root: gallery)
    defer { _ = try? first.finish() }
    #expect {
      try GalleryExporterTests.export(archive, to: gallery)
    } throws: { error in
      guard let error = error as? GalleryError, case .busy(let path, let holder) = error else { return false }
      return path == gallery.path && holder.hasPrefix("pid \(getpid()), started ") && error.exitCode == 4
    }
  }

  @Test func aManifestOfTheFirstFormatIsReadAndEveryPageRewrittenOnce() throws {
    let archive = try SampleArchive()
    let gallery = archive.galleryFolder()
    let first = try GalleryExporterTests.export(archive, to: gallery)
    let manifest = gallery.appendingPathComponent(GalleryFolder.manifestName)
    let lines = try String(contentsOf: manifest, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
      let parts = line.split(separator: " ", maxSplits: 2)
      return "\(parts[0]) \(parts[2])"
    }
    try Data((["mjarchive-gallery 1"] + lines).joined(separator: "\n").appending("\n").utf8).write(to: manifest)
    let again = try GalleryExporterTests.export(archive, to: gallery)
    #expect(again.pagesWritten == first.pagesWritten)
    #expect(again.filesRemoved == 0)
    #expect(try GalleryExporterTests.export(archive, to: gallery).pagesWritten == 0)
  }
}
