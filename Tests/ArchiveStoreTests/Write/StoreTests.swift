import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// Storing tasks: idempotent, lossless, newest-first by when they were made.
@Suite struct StoreTests {
  /// Newest-first is by when a task was made, not when it was archived: a year-old task tracked today sorts last.
  @Test func newestFirstFollowsWhenTasksWereMadeHoweverLateTheyArrive() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.task(id: "20", prompt: "fox new", submitTime: 1_760_000_000_000))
    try archive.store.store(try TemporaryArchive.task(id: "21", prompt: "fox old", submitTime: 1_700_000_000_000))
    // Known first without a submit time (keyed by when it was stored), then re-keyed once the time is known.
    try archive.store.store(try TemporaryArchive.task(id: "22", prompt: "fox middle", submitTime: nil))
    #expect(try archive.store.search(SearchQuery(text: "fox")).map(\.id) == ["22", "20", "21"])
    try archive.store.store(
      try TemporaryArchive.task(id: "22", prompt: "fox middle", status: "SUCCESS", submitTime: 1_730_000_000_000))
    #expect(try archive.store.search(SearchQuery(text: "fox")).map(\.id) == ["20", "22", "21"])
    #expect(try archive.store.search(SearchQuery(text: "middle")).map(\.id) == ["22"])
    try archive.checkIndexIntegrity()
  }

  /// Tasks made in the same millisecond each get a `seq` of it in the order they were stored, in one
  /// batch and across batches; a task already stored keeps its own.
  @Test func tasksMadeInOneMillisecondAreAllStoredInTheOrderTheyCame() throws {
    let archive = try TemporaryArchive()
    let time: Int64 = 1_741_531_578_038
    let first = try (0..<3).map { try TemporaryArchive.task(id: "\(100 + $0)", prompt: "owl \($0)", submitTime: time) }
    #expect(try archive.store.store(first) == [.inserted, .inserted, .inserted])
    let second = [
      try TemporaryArchive.task(id: "103", prompt: "owl 3", submitTime: time), first[1],
      try TemporaryArchive.task(id: "104", prompt: "owl 4", submitTime: time + 1),
    ]
    #expect(try archive.store.store(second) == [.inserted, .unchanged, .inserted])
    let base = time << ArchiveStore.sequenceShift
    let keys = try archive.rows("SELECT id, seq - \(base) AS offset FROM tasks ORDER BY seq").map { row in
      "\(row["id"] as String) \(row["offset"] as Int64)"
    }
    #expect(keys == ["100 0", "101 1", "102 2", "103 3", "104 16384"])
    #expect(try archive.store.search(SearchQuery(text: "owl")).map(\.id) == ["104", "103", "102", "101", "100"])
    try archive.checkIndexIntegrity()
  }

  /// An archive made with schema 1 (seq in arrival order) is re-keyed by submit time when a writer opens it.
  @Test func aSchemaOneArchiveIsMigratedAndReKeyed() throws {
    let (folder, database) = try TemporaryArchive.olderArchive(version: 1)
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = [
      ("1", "fox made last", 1_760_000_000_000), ("2", "fox made first", 1_700_000_000_000),
      ("3", "fox made between", 1_730_000_000_000),
    ]
    var sql = ""
    for (index, (id, prompt, time)) in rows.enumerated() {
      sql +=
        "INSERT INTO tasks (seq, id, prompt, submit_time, raw_json, first_seen, last_fetched) VALUES (\(index + 1), '\(id)', '\(prompt)', \(time), X'7B7D', 0, 0);\n"
    }
    sql += "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild');\n"
    try run("/usr/bin/sqlite3", [database], input: Data(sql.utf8))
    let store = try ArchiveStore(directory: folder)
    #expect(try store.search(SearchQuery(text: "fox")).map(\.id) == ["1", "3", "2"])
    #expect(try store.search(SearchQuery(text: "between")).map(\.id) == ["3"])
    #expect(try run("/usr/bin/sqlite3", [database, "PRAGMA user_version"]) == "\(SchemaMigrator.currentVersion)\n")
  }

  @Test func storingTheSameTaskTwiceChangesOnlyLastFetched() throws {
    let archive = try TemporaryArchive()
    let task = try TemporaryArchive.sample("task-imagine-success.json")
    #expect(try archive.store.store(task) == .inserted)
    let before = try archive.rows("SELECT * FROM tasks")
    Thread.sleep(forTimeInterval: 0.01)
    #expect(try archive.store.store(task) == .unchanged)
    let after = try archive.rows("SELECT * FROM tasks")
    #expect(before.count == 1 && after.count == 1)
    for column in before[0].columnNames where column != "last_fetched" {
      #expect(before[0][column] as DatabaseValue == after[0][column] as DatabaseValue, "\(column)")
    }
    #expect((after[0]["last_fetched"] as Int64) > (before[0]["last_fetched"] as Int64))
    #expect(after[0]["raw_json"] as Data == task.raw)
    #expect(after[0]["id"] as String == "1320098173412546")
  }

  @Test func aFinishedTaskIsNeverOverwrittenByAnUnfinishedOne() throws {
    let archive = try TemporaryArchive()
    let done = try TemporaryArchive.sample("task-imagine-success.json")
    try archive.store.store(done)
    var object = try #require(done.json.objectValue)
    object["status"] = "IN_PROGRESS"
    object["progress"] = "40%"
    let stale = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    #expect(try archive.store.store(stale) == .keptFinished)
    #expect(try archive.store.details(id: done.id).task?.raw == done.raw)
    object["status"] = "SUCCESS"
    object["imageUrl"] = "https://example.com/fresh-link.png"
    let refreshed = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    #expect(try archive.store.store(refreshed) == .updated)
    #expect(try archive.store.details(id: done.id).task?.imageUrl == "https://example.com/fresh-link.png")
    try archive.checkIndexIntegrity()
    // Nothing the gateway said of the finished task is lost: the refused unfinished answer (once, however often
    // it comes) and the finished JSON the refreshed one replaced.
    #expect(try archive.store.store(stale) == .keptFinished)
    let history = try archive.rows(
      "SELECT raw_json, reason FROM task_history WHERE task_id = '\(done.id)' ORDER BY rowid")
    #expect(history.map { $0["reason"] as String } == ["unfinished after finished", "replaced"])
    #expect(history.map { $0["raw_json"] as Data } == [stale.raw, done.raw])
  }
}
