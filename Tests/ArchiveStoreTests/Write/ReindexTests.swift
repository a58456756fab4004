import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// Rebuilding derived data from the raw JSON.
@Suite struct ReindexTests {
  @Test func reindexRebuildsExactlyWhatWasThere() throws {
    let archive = try TemporaryArchive()
    for name in [
      "task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json",
      "task-imagine-failure.json", "task-variation-in-progress.json",
    ] {
      try archive.store.store(try TemporaryArchive.sample(name))
    }
    try archive.store.store(try TemporaryArchive.task(id: "77", prompt: "一只黑猫 --ar 3:2"))
    let dump = { () throws -> [[DatabaseValue]] in
      try [
        "SELECT * FROM tasks ORDER BY seq", "SELECT * FROM task_parameters ORDER BY task_id",
        "SELECT * FROM buttons ORDER BY task_id, position",
      ]
      .flatMap { try archive.rows($0).map { row in row.columnNames.map { row[$0] as DatabaseValue } } }
    }
    let before = try dump()
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { db in
      try db.execute(sql: "UPDATE tasks SET prompt = 'damaged', cjk_terms = '', action = NULL")
      try db.execute(sql: "DELETE FROM task_parameters")
    }
    try queue.close()
    #expect(try archive.store.search(SearchQuery(text: "猫")).isEmpty)
    #expect(try archive.store.reindex() == 6)
    #expect(try dump() == before)
    #expect(try archive.store.search(SearchQuery(text: "猫")).map(\.id) == ["77"])
    #expect(try archive.store.search(SearchQuery(text: "damaged")).isEmpty)
    try archive.checkIndexIntegrity()
  }

  /// A whole task another program inserted (raw JSON and all, but never indexed) is indexed by reindex;
  /// the full-text update trigger used to fail on it, as FTS5 was asked to delete what it never held.
  @Test func reindexIndexesATaskAnotherProgramInserted() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.task(id: "1", prompt: "owl at dusk"))
    let imagine = SharedFixtures.sample("task-imagine-success.json").path
    try run(
      "/usr/bin/sqlite3", [archive.directory.appendingPathComponent("archive.sqlite").path],
      input: Data(
        """
        INSERT INTO tasks (seq, id, prompt, raw_json, first_seen, last_fetched)
          VALUES (2, '1320098173412546', 'not yet derived', readfile('\(imagine)'), 0, 0);
        """.utf8))
    #expect(try archive.store.search(SearchQuery(text: "cat")).isEmpty)
    #expect(try archive.store.reindex() == 2)
    #expect(try archive.store.search(SearchQuery(text: "cat")).map(\.id) == ["1320098173412546"])
    #expect(try archive.store.search(SearchQuery(text: "owl")).map(\.id) == ["1"])
    #expect(try archive.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'tasks_fts_update'").first?[0] == 1)
    try archive.checkIndexIntegrity()
  }
}
