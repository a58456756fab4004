import ArchiveStore
import Foundation
import GRDB
import GridImage
import TestSupport
import Testing

@testable import FileExport

/// Exports of the sample archive (real gateway tasks, hostile prompts and ids, PngSuite pictures), read back with
/// exiftool and pngcheck.
@Suite struct FileExporterTests {
  private func export(
    _ archive: SampleArchive, to folder: URL, _ change: (inout FileExportOptions) -> Void = { _ in }
  ) async throws -> FileExportReport {
    var options = FileExportOptions(layout: try FileLayout(), kind: .all)
    change(&options)
    return try await FileExporter(store: archive.store, destination: folder, options: options).run()
  }

  /// Every file under `folder` but the export's own, relative.
  private func files(in folder: URL) throws -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: folder.path)
    var paths: [String] = []
    while let path = enumerator?.nextObject() as? String {
      var isFolder: ObjCBool = false
      FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
      if !isFolder.boolValue && !path.hasPrefix(".mjarchive-export") { paths.append(path) }
    }
    return paths.sorted()
  }

  /// exiftool's reading of a file: group-qualified tag names to values.
  private func exiftool(_ file: URL) throws -> [String: Any] {
    let output = try run("/usr/bin/exiftool", ["-j", "-G1", "-struct", file.path])
    let list = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]
    return list?.first ?? [:]
  }

  @Test func picturesLandInYearAndMonthFoldersWithTheirPromptInside() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let report = try await export(archive, to: folder)
    #expect(report.files == 6 && report.withMetadata == 6 && report.missing == 0)
    #expect(
      try files(in: folder) == [
        "2025/03/2025-03-09_cat_1320098173412546-1.png",
        "2025/03/2025-03-09_cat_1320098173412546-2.png",
        "2025/03/2025-03-09_cat_1320098173412546-3.png",
        "2025/03/2025-03-09_cat_1320098173412546-4.png",
        "2025/03/2025-03-09_cat_1320098173412546.png",
        "2025/03/2025-03-09_cat_1320098173412601.png",
      ])
    for path in try files(in: folder) {
      #expect(try run("/usr/bin/pngcheck", ["-q", folder.appendingPathComponent(path).path]).isEmpty, "\(path)")
    }
    let upscale = folder.appendingPathComponent(
      "2025/03/2025-03-09_cat_1320098173412601.png")
    let tags = try exiftool(upscale)
    let task = try #require(try archive.store.archivedTasks(among: [SampleArchive.upscale]).first)
    #expect(tags["PNG:Description"] as? String == task.prompt)
    #expect(tags["PNG:Parameters"] as? String == task.parameterSource)
    #expect(tags["XMP-dc:Description"] as? String == task.prompt)
    #expect(tags["XMP-mjarchive:TaskId"] as? String == SampleArchive.upscale)
    #expect(tags["XMP-mjarchive:JobId"] as? String == task.jobHash)
    #expect((tags["XMP-dc:Subject"] as? [String])?.first == "upscale")
    #expect((tags["XMP-xmp:CreateDate"] as? String)?.hasPrefix("2025:03:09") == true)
  }

  /// Hostile prompts and ids become safe names inside the folder; the CJK prompt reads back whole.
  @Test func hostileTasksStayInsideAndTheirTextReadsBack() async throws {
    let archive = try SampleArchive()
    for id in [SampleArchive.scriptPrompt, SampleArchive.cjkPrompt, SampleArchive.pathLikeId] {
      try archive.store.recordFiles([try archive.place("basn0g08.png", as: .original)], taskId: id, split: .notSplit)
    }
    let folder = archive.galleryFolder()
    let report = try await export(archive, to: folder) { $0.kind = .originals }
    #expect(report.withMetadata == 5)
    let paths = try files(in: folder)
    #expect(paths.contains("2025/03/2025-03-10_script-img-src-x-onerror-alert-1-a-fox_1000000000000001.png"))
    #expect(paths.contains("2025/03/2025-03-03_a-path-like-id_evil-b.png"))
    let cjk = try #require(paths.first { $0.contains(SampleArchive.cjkPrompt) })
    #expect(cjk.contains("一只黑猫在雪地里"))
    let tags = try exiftool(folder.appendingPathComponent(cjk))
    #expect(tags["XMP-dc:Description"] as? String == "一只黑猫在雪地里 --ar 3:2 --niji 6")
    #expect(tags["PNG:Description"] as? String == "一只黑猫在雪地里 --ar 3:2 --niji 6")
    let script = try exiftool(folder.appendingPathComponent(paths.first { $0.contains("script") }!))
    #expect(script["XMP-dc:Description"] as? String == "</script><img src=x onerror=alert(1)> a fox")
  }

  @Test func aSecondExportWritesNothingAndANarrowerOneRemovesOnlyItsOwn() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try await export(archive, to: folder)
    let again = try await export(archive, to: folder)
    #expect(again.written == 0 && again.unchanged == 6)
    // A file of the user's beside them, and one of the export's that the user edited: both stay.
    let mine = folder.appendingPathComponent("2025/03/notes.txt")
    try Data("mine".utf8).write(to: mine)
    let quadrant = try #require(try files(in: folder).first { $0.hasSuffix("-3.png") })
    try Data("edited".utf8).write(to: folder.appendingPathComponent(quadrant))
    let narrower = try await export(archive, to: folder) { $0.kind = .upscales }
    #expect(narrower.removed == 4 && narrower.leftAlone == 1 && narrower.unchanged == 1)
    #expect(try files(in: folder).count == 3)
    #expect(try String(contentsOf: mine, encoding: .utf8) == "mine")
    #expect(try String(contentsOf: folder.appendingPathComponent(quadrant), encoding: .utf8) == "edited")
    // The edited file is no longer the export's: exporting the quadrants again puts that one beside it.
    let back = try await export(archive, to: folder)
    #expect(back.withMetadata == 5)
    #expect(try files(in: folder).contains(quadrant.replacingOccurrences(of: "-3.png", with: "-3~2.png")))
  }

  /// A link planted where a file goes is not followed: the file it points at stays as it was.
  @Test func aPlantedLinkIsNeverWrittenThrough() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let outside = archive.scratch.appendingPathComponent("outside.txt")
    try Data("outside".utf8).write(to: outside)
    _ = try await export(archive, to: folder) { $0.kind = .upscales }
    let upscale = try #require(try files(in: folder).first)
    try FileManager.default.removeItem(at: folder.appendingPathComponent(upscale))
    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(upscale), withDestinationURL: outside)
    let report = try await export(archive, to: folder) { $0.kind = .upscales }
    // The link is no longer the export's file: left where it is, and the picture written beside it.
    #expect(report.withMetadata == 1 && report.leftAlone == 1)
    #expect(try String(contentsOf: outside, encoding: .utf8) == "outside")
    #expect(try files(in: folder).contains(upscale.replacingOccurrences(of: ".png", with: "~2.png")))
  }

  /// Without metadata a file is the archive's own, hard-linked (or copied when asked); the archive never changes.
  @Test func withoutMetadataFilesAreLinkedOrCopied() async throws {
    let archive = try SampleArchive()
    let linked = archive.galleryFolder()
    let report = try await export(archive, to: linked) {
      $0.metadata = false
      $0.kind = .upscales
    }
    #expect(report.linked == 1)
    let source = try #require(try archive.store.archivedTasks(among: [SampleArchive.upscale]).first?.files.first)
    let original = archive.directory.appendingPathComponent(source.path)
    let exported = linked.appendingPathComponent(try files(in: linked)[0])
    let inode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int }
    #expect(try inode(exported) == inode(original))
    let copied = archive.galleryFolder()
    let copy = try await export(archive, to: copied) {
      $0.metadata = false
      $0.copy = true
      $0.kind = .upscales
    }
    #expect(copy.copied == 1)
    let copiedFile = copied.appendingPathComponent(try files(in: copied)[0])
    #expect(try inode(copiedFile) != inode(original))
    #expect(try Data(contentsOf: copiedFile) == Data(contentsOf: original))
  }

  /// Another file system (tmpfs under /dev/shm) refuses a hard link to the archive: the file is copied.
  @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/shm")))
  func onAnotherFileSystemFilesAreCopied() async throws {
    let archive = try SampleArchive()
    let folder = URL(fileURLWithPath: "/dev/shm/mjarchive-export-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let device = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.systemNumber] as? Int }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try #require(try device(folder.path) != device(archive.directory.path))
    let report = try await export(archive, to: folder) {
      $0.metadata = false
      $0.kind = .upscales
    }
    #expect(report.copied == 1 && report.linked == 0)
  }

  @Test func sidecarsCarryTheTaskBesideEachPicture() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let report = try await export(archive, to: folder) {
      $0.sidecars = true
      $0.kind = .quadrants
    }
    #expect(report.withMetadata == 4 && report.sidecars == 4)
    let sidecar = try #require(try files(in: folder).first { $0.hasSuffix("-2.png.json") })
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(sidecar)))
    let object = try #require(json as? [String: Any])
    #expect(object["taskId"] as? String == SampleArchive.imagine)
    #expect(object["part"] as? Int == 2)
    #expect(object["kind"] as? String == "quadrant")
    #expect((object["parameters"] as? [String])?.isEmpty == false)
  }

  /// A run killed while writing leaves pending entries and a temporary file: the next run cleans both.
  @Test func aKilledRunIsFinishedByTheNext() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try await export(archive, to: folder) { $0.kind = .upscales }
    let manifestURL = folder.appendingPathComponent(ExportManifest.fileName)
    var manifest = try JSONDecoder().decode(ExportManifest.self, from: Data(contentsOf: manifestURL))
    let path = manifest.files[0].path
    manifest.files[0].stamp = nil
    try JSONEncoder().encode(manifest).write(to: manifestURL)
    let name = (path as NSString).lastPathComponent
    let leftover = folder.appendingPathComponent((path as NSString).deletingLastPathComponent)
      .appendingPathComponent(".\(name).1234-5678.tmp")
    try Data("half".utf8).write(to: leftover)
    let report = try await export(archive, to: folder) { $0.kind = .upscales }
    #expect(report.withMetadata == 1)
    #expect(!FileManager.default.fileExists(atPath: leftover.path))
    #expect(try files(in: folder) == [path])
  }

  @Test func aManifestNotWrittenByAnExportIsRefused() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("<html>".utf8).write(to: folder.appendingPathComponent(ExportManifest.fileName))
    let error = await #expect(throws: FileExportError.self) { try await export(archive, to: folder) }
    #expect(error?.description.contains("is not a manifest mjarchive wrote") == true)
    #expect(try files(in: folder).isEmpty)
  }
}

/// A grid the archive keeps whole (`sync --no-quadrants`) has its quadrants cut at export time.
@Suite struct FileExporterQuadrantTests {
  @Test func quadrantsOfAGridKeptWholeAreCutAtExport() async throws {
    let archive = try SampleArchive()
    try archive.store.recordFiles([], taskId: SampleArchive.imagine, split: .notSplit)
    let database = try DatabaseQueue(path: archive.store.databaseURL.path)
    try await database.write { db in
      try db.execute(
        sql: "DELETE FROM images WHERE task_id = ? AND kind = 'quadrant'", arguments: [SampleArchive.imagine])
    }
    try database.close()
    let folder = archive.galleryFolder()
    let options = FileExportOptions(layout: try FileLayout("{id}{-part}.{ext}"), kind: .quadrants)
    let report = try await FileExporter(store: archive.store, destination: folder, options: options).run()
    #expect(report.withMetadata == 4 && report.missing == 0)
    for part in 1...4 {
      let file = folder.appendingPathComponent("\(SampleArchive.imagine)-\(part).png")
      let reader = try PNGReader(path: file.path)
      #expect(reader.width == 16 && reader.height == 16)  // basn2c08.png is 32×32
      #expect(
        reader.textChunks.contains { $0.key == "XML:com.adobe.xmp" && $0.text.contains("<mjarchive:part>\(part)<") })
      #expect(try run("/usr/bin/pngcheck", ["-q", file.path]).isEmpty)
    }
    // The scratch folder is gone, and a second export cuts nothing.
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(QuadrantScratch.folderName).path))
    let again = try await FileExporter(store: archive.store, destination: folder, options: options).run()
    #expect(again.written == 0 && again.unchanged == 4)
  }
}
