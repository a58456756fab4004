import Foundation
import GRDB
import MidjourneyAPI

/// Rebuilding derived data: `reindex`, and an archive brought up from an older schema.
extension ArchiveStore {
  /// Counts tasks a batch inserted (the store's share of `archive_counts`; triggers keep the rest).
  static func countInserted(_ tasks: [PreparedTask], outcomes: [StoreOutcome], in db: Database) throws {
    let insertedIds = tasks.indices.compactMap { outcomes[$0] == .inserted ? tasks[$0].record.id : nil }
    guard !insertedIds.isEmpty else { return }
    // Their rows and the edges derived with them: the triggers count only updates and deletions of those.
    try countChange(in: db)
    var counts: [String: [String: Int]] = ["action": [:], "status": [:], "without_images": [:]]
    for position in tasks.indices where outcomes[position] == .inserted {
      counts["action", default: [:]][tasks[position].record.action ?? "?", default: 0] += 1
      counts["status", default: [:]][tasks[position].record.status ?? "?", default: 0] += 1
      // A new task has no image rows yet (they refer to it).
      if tasks[position].record.status == "SUCCESS" && !(tasks[position].record.imageUrl ?? "").isEmpty {
        counts["without_images", default: [:]]["", default: 0] += 1
      }
    }
    let upsert = try db.cachedStatement(
      sql: "INSERT INTO archive_counts VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
    for (kind, byKey) in counts {
      for (key, count) in byKey { try upsert.execute(arguments: [kind, key, count]) }
    }
    // One cached statement for the batch (a 500-id list was compiled anew every 500 tasks).
    let inserted = LineageDerivation.Scope.ids(insertedIds)
    try db.cachedStatement(
      sql: """
        INSERT INTO archive_counts VALUES ('unfetched', '', -(SELECT count(*) FROM known_tasks WHERE \(inserted.contains("id"))))
          ON CONFLICT DO UPDATE SET n = n + excluded.n
        """
    ).execute(arguments: inserted.arguments)
  }

  /// Rebuilds every derived column, the parameters, the lineage, the full-text index and the counts from the raw JSON.
  ///
  /// - Returns: How many tasks were rebuilt.
  @discardableResult
  public func reindex() throws(StoreError) -> Int {
    try write { db in try Self.rebuildDerivedData(in: db) }
  }

  /// What `reindex` does, in a transaction the caller holds; also run once after a migration that added
  /// derived columns (`SchemaMigration.rebuildsDerivedData`), so an upgraded archive is derived by today's code.
  ///
  /// - Returns: How many tasks were rebuilt.
  @discardableResult
  static func rebuildDerivedData(in db: Database) throws -> Int {
    var count = 0
    // Rows another program inserted are not in the full-text index, and the update trigger would ask FTS5
    // to delete what it never held (SQLITE_CORRUPT_VTAB): the trigger rests while the rows are rewritten,
    // and the index is rebuilt from them at the end, in one pass.
    let ftsTrigger = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'tasks_fts_update'")
    if ftsTrigger != nil { try db.execute(sql: "DROP TRIGGER tasks_fts_update") }
    try forEachTask(in: db) { task, record in
      var update = RawBindings(try db.cachedStatement(sql: TaskRecord.updateSQL + " WHERE id = ?"))
      record.bind(into: &update, includingId: false)
      update.bind(task.id)
      try update.execute()
      try storeParameters(of: record, in: db, replacing: true)
      count += 1
    }
    // The step of each action submitted here, from the button it pressed.
    for row in try Row.fetchAll(db, sql: "SELECT id, custom_id FROM known_tasks WHERE custom_id IS NOT NULL") {
      let step = (row["custom_id"] as String?).flatMap(LineageStep.init(customId:))
      try db.execute(
        sql: "UPDATE known_tasks SET lineage_kind = ?, lineage_index = ? WHERE id = ?",
        arguments: [step?.kind, step?.index, row["id"]])
    }
    try LineageDerivation.rebuild(in: db)
    if let ftsTrigger { try db.execute(sql: ftsTrigger) }
    try db.execute(sql: "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')")
    // The callback counts of `listen` and the change counter are kept: no table holds what they count.
    try db.execute(
      sql: "DELETE FROM archive_counts WHERE kind NOT IN ('callbacks', 'changes'); INSERT INTO archive_counts "
        + countsSQL)
    // Rows other programs inserted are now indexed and linked: a gallery shows them from here on.
    try countChange(in: db)
    return count
  }

  /// Calls `body` with every task whose stored JSON still reads as that task, a page at a time
  /// (a whole archive's JSON does not fit in memory at once).
  static func forEachTask(in db: Database, _ body: (GatewayTask, TaskRecord) throws -> Void) throws {
    var after = Int64.min
    while true {
      let rows = try Row.fetchAll(
        db, sql: "SELECT seq, id, raw_json FROM tasks WHERE seq > ? ORDER BY seq LIMIT 1000", arguments: [after])
      guard let last = rows.last else { return }
      after = last["seq"]
      for row in rows {
        let id: String = row["id"]
        guard let task = try? GatewayTask(raw: row["raw_json"]), task.id == id else { continue }
        try body(task, TaskRecord(task: task))
      }
    }
  }
}
