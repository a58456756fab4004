import Foundation
import GRDB
import TestSupport
import Testing

@testable import ArchiveStore

/// An archive written by the schema-1 build itself (the fixture in `Fixtures/archive-v1`), opened by this one.
@Suite struct ArchiveUpgradeTests {
  static let samples = [
    "task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json",
    "task-imagine-failure.json", "task-variation-in-progress.json",
  ]

  @Test func anArchiveMadeBySchemaOneOpensWithNothingLost() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-v1-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: TemporaryArchive.fixture("archive-v1/archive.sqlite"), to: folder.appendingPathComponent("archive.sqlite"))
    let buttonsSQL = "SELECT * FROM buttons ORDER BY task_id, position"
    let storedButtons = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path).read { db in
      try Row.fetchAll(db, sql: buttonsSQL)
    }
    let store = try ArchiveStore(directory: folder, create: false)

    let queue = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path)
    defer { try? queue.close() }
    let version = try queue.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
    #expect(version == SchemaMigrator.currentVersion)
    // The page size it was made with stays: SQLite changes it only by VACUUM, outside WAL mode.
    #expect(try queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
    #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    // Every task's bytes as the gateway sent them, unchanged through three migrations.
    for name in Self.samples {
      let sample = try Data(contentsOf: SharedFixtures.sample(name))
      let task = try TemporaryArchive.sample(name)
      let stored = try queue.read {
        try Data.fetchOne($0, sql: "SELECT raw_json FROM tasks WHERE id = ?", arguments: [task.id])
      }
      #expect(
        stored == Data(String(decoding: sample, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8),
        "\(name)")
    }
    // Schema 5 reads the buttons from the JSON (a view) instead of the table schema 1 wrote: the same rows.
    #expect(storedButtons.count == 27)
    #expect(try queue.read { db in try Row.fetchAll(db, sql: buttonsSQL) } == storedButtons)
    #expect(try store.archivedTasks().count == 6)
    #expect(
      Set(try store.search(SearchQuery(text: "cat")).map(\.id)).isSuperset(of: ["1320098173412546", "1320098173412601"])
    )
    #expect(try store.search(SearchQuery(text: "黑猫")).map(\.id) == ["1320098173499999"])
    // Lineage, which schema 1 did not have, is derived from the stored JSON on the way up.
    #expect(try store.family(of: "1320098173412601").rootId == "1320098173412546")
    let tracked = try store.details(id: "1400000000000000001")
    #expect(tracked.knownFrom == "track" && tracked.task == nil)
  }
}
