import Foundation
import Testing

@testable import ArchiveStore

/// The image rows read in batches on a thread of their own: every file once, in the order S3 lists keys.
@Suite struct ImageFileBatchesTests {
  /// An archive of 30 tasks, each with an original (every third shared with the task before, as the same picture
  /// downloaded twice) and a quadrant.
  private func archive() throws -> TemporaryArchive {
    let archive = try TemporaryArchive()
    let ids = (0..<30).map { "\(70_000 + $0)" }
    try archive.store.store(try ids.map { try TemporaryArchive.task(id: $0, prompt: "batch \($0)") })
    for (offset, id) in ids.enumerated() {
      let sha = String(repeating: String(format: "%02x", offset - (offset % 3 == 2 ? 1 : 0)), count: 32)
      try archive.store.recordFiles(
        [
          StoredFile(
            kind: .original, path: "images/originals/\(sha.prefix(2))/\(sha).png", sha256: sha, format: "PNG",
            bytes: 100 + offset),
          StoredFile(
            kind: .quadrant, part: 1, path: "images/quadrants/\(id)-1.png", sha256: sha, format: "PNG", bytes: 7),
        ], taskId: id, split: .split)
    }
    return archive
  }

  @Test func byPathEachFileComesOnceInByteOrderAcrossBatches() async throws {
    let archive = try archive()
    var paths: [String] = []
    var sizes: [Int] = []
    for try await batch in archive.store.imageFiles(byPath: true, batchSize: 7) {
      sizes.append(batch.count)
      paths += batch.map(\.path)
    }
    #expect(paths.count == 50)  // 20 distinct originals and 30 quadrants
    #expect(Set(paths).count == paths.count)
    #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    #expect(sizes.dropLast().allSatisfy { $0 == 7 } && sizes.count == 8)
    var stored = 0
    for try await batch in archive.store.imageFiles(byPath: false, batchSize: 7) { stored += batch.count }
    #expect(stored == 60)
    #expect(try archive.store.imageRowCount() == 60)
  }

  @Test func aConsumerThatStopsEarlyEndsTheRead() async throws {
    let archive = try archive()
    for _ in 0..<20 {
      for try await batch in archive.store.imageFiles(byPath: true, batchSize: 2) {
        #expect(batch.count == 2)
        break
      }
    }
    // The reader threads let go of their read: the archive can still be written.
    try archive.store.store([try TemporaryArchive.task(id: "79999", prompt: "after")])
    #expect(try archive.store.imageRowCount() == 60)
  }
}
