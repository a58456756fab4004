import ArchiveStore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Gallery

/// The "Similar" strip of task pages, from hashes recorded in a real archive.
@Suite struct SimilarStripTests {
  static let base: UInt64 = 0x9A3C_5E71_0F2D_B486

  /// The sample archive with pHashes near the grid's U3: the upscale (its own family), the grid's whole picture,
  /// and a picture of the "lighthouse" task (another family).
  static func archive() throws -> SampleArchive {
    let archive = try SampleArchive()
    let lighthouse = try archive.place("basn0g16.png", as: .original)
    try archive.store.recordFiles([lighthouse], taskId: SampleArchive.mixedCase, split: .notDecoded)
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    let rows = try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT task_id, kind, part, sha256 FROM images WHERE edge = 0")
    }
    try queue.close()
    var hashes: [String: ImageHashes] = [:]
    for row in rows {
      let (task, kind, part, sha): (String, String, Int, String) = (row[0], row[1], row[2], row[3])
      // Far from each other unless set below: one bit flipped per quadrant, each in a different byte.
      var pHash = ~Self.base ^ (UInt64(0xFF) << UInt64(8 * part))
      if task == SampleArchive.imagine && part == 3 { pHash = Self.base }
      if task == SampleArchive.imagine && kind == "original" { pHash = Self.base ^ 0b11 }
      if task == SampleArchive.upscale { pHash = Self.base ^ 0b1 }
      if task == SampleArchive.mixedCase { pHash = Self.base ^ 0b111 }
      hashes[sha] = ImageHashes(dHash: pHash, pHash: pHash)
    }
    try archive.store.recordHashes(hashes)
    return archive
  }

  /// The captions of the task page's strip, in order.
  static func strip(_ folder: URL, _ id: String) throws -> [String] {
    let page = try GalleryExporterTests.page(folder, PageNames.taskPage(id))
    guard let start = page.range(of: "<section class=\"similar\">"),
      let end = page.range(of: "</section>", range: start.upperBound..<page.endIndex)
    else { return [] }
    return page[start.upperBound..<end.lowerBound].components(separatedBy: "<span>").dropFirst().map { item in
      String(item.prefix { $0 != "<" })
    }
  }

  /// Each page shows the pictures of other families near its own, nearest first; never its own family's, and
  /// never a grid's whole picture (the grid is its quadrants).
  @Test func pagesShowOtherFamiliesNearestFirst() throws {
    let archive = try Self.archive()
    let folder = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: folder)
    #expect(
      try Self.strip(folder, SampleArchive.mixedCase) == [
        "UPSCALE \(SampleArchive.upscale) · 2 bits", "IMAGINE U3 \(SampleArchive.imagine) · 3 bits",
      ])
    #expect(try Self.strip(folder, SampleArchive.imagine) == ["IMAGINE \(SampleArchive.mixedCase) · 3 bits"])
    #expect(try Self.strip(folder, SampleArchive.upscale) == ["IMAGINE \(SampleArchive.mixedCase) · 2 bits"])
    #expect(try Self.strip(folder, SampleArchive.cjkPrompt).isEmpty)
    // The quadrant's own thumbnail, linked to its task's page.
    let page = try GalleryExporterTests.page(folder, PageNames.taskPage(SampleArchive.mixedCase))
    #expect(
      page.contains("<a class=\"link\" href=\"../../\(PageNames.taskPage(SampleArchive.imagine))\"><img src=\"../../i/")
    )
    #expect(page.contains("alt=\"U3 of "))
  }

  /// A strip is part of its page's input: a new near picture rewrites the pages whose strips it joins.
  @Test func aChangedStripRewritesItsPages() throws {
    let archive = try Self.archive()
    let folder = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: folder)
    #expect(try GalleryExporterTests.export(archive, to: folder).pagesWritten == 0)
    let cjkPage = try GalleryExporterTests.inode(
      folder.appendingPathComponent(PageNames.taskPage(SampleArchive.cjkPrompt)).path)
    let owl = try archive.place("basn0g04.png", as: .original)
    try archive.store.recordFiles([owl], taskId: SampleArchive.svgPrompt, split: .notDecoded)
    try archive.store.recordHashes([owl.sha256: ImageHashes(dHash: Self.base ^ 0b1111, pHash: Self.base ^ 0b1111)])
    let report = try GalleryExporterTests.export(archive, to: folder)
    // The owl's page, the three pages whose strips it joins, the index (its tile) and the search index.
    #expect(report.pagesWritten == 6)
    #expect(try Self.strip(folder, SampleArchive.mixedCase).first == "IMAGINE \(SampleArchive.svgPrompt) · 1 bit")
    #expect(try Self.strip(folder, SampleArchive.imagine).count == 2)
    #expect(try Self.strip(folder, SampleArchive.upscale).count == 2)
    #expect(
      try GalleryExporterTests.inode(folder.appendingPathComponent(PageNames.taskPage(SampleArchive.cjkPrompt)).path)
        == cjkPage)
  }
}
