import Foundation
import GRDB
import Testing

@testable import ArchiveStore

/// Bulk batches hand their checkpoints to a second connection on its own thread.
@Suite struct BackgroundCheckpointerTests {
  @Test func bulkBatchesAreCheckpointedOffTheWriterWithNothingLost() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-ckpt-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("archive.sqlite").path
    var store: ArchiveStore? = try ArchiveStore(directory: directory)
    try store?.store(try (0..<10).map { try TemporaryArchive.task(id: "\(9_000 + $0)", prompt: "small batch \($0)") })
    // A small batch (a sync's, a submit's) leaves checkpoints to the writer.
    #expect(store?.checkpointer.withLock { $0 == nil } == true)
    for batch in 0..<3 {
      try store?.store(
        try (0..<ArchiveStore.bulkBatchSize).map {
          try TemporaryArchive.task(id: "\(100_000 + batch * 10_000 + $0)", prompt: "bulk cat \(batch) \($0)")
        })
    }
    #expect(store?.checkpointer.withLock { $0 != nil } == true)
    // Checkpoints come every `bulkCheckpointTasks`, not every batch: three batches are still waiting for theirs.
    #expect(store?.checkpointer.withLock { $0?.uncopied } == 3 * ArchiveStore.bulkBatchSize)
    let autocheckpoint = try store?.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
    #expect(autocheckpoint == ArchiveStore.bulkAutocheckpointPages)

    // Closing stops the thread; the last connection folds the log into the database and removes it.
    store = nil
    #expect(!FileManager.default.fileExists(atPath: database + "-wal"))
    let queue = try DatabaseQueue(path: database)
    defer { try? queue.close() }
    #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    #expect(
      try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tasks") } == 10 + 3 * ArchiveStore.bulkBatchSize)
    let reopened = try ArchiveStore(directory: directory)
    var query = SearchQuery(text: "cat")
    query.limit = 10_000
    #expect(try reopened.search(query).count == 3 * ArchiveStore.bulkBatchSize)
  }
}
