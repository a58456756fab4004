import Foundation
import GRDB
import MidjourneyAPI

/// Statistics and rebuilding derived data.
extension ArchiveStore {
  /// Counts by action and status, size on disk, newest task, tasks still without images.
  ///
  /// From schema 4 on every count is kept in `archive_counts` as rows change, so this reads a few
  /// rows whatever the archive's size; an older archive opened read-only is counted the slow way.
  public func stats() throws(StoreError) -> ArchiveStats {
    let (counted, stats) = try read { db -> (Bool, ArchiveStats) in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      var stats = try Self.counts(in: db, kept: version >= 4)
      let newest = try Row.fetchOne(
        db, sql: "SELECT id, submit_time FROM tasks ORDER BY submit_time DESC, seq DESC LIMIT 1")
      stats.newestTaskId = newest?["id"]
      stats.newestSubmitTime = newest?["submit_time"]
      // Sync runs and submissions as recorded from schema 2 on (a reader never migrates an older archive).
      guard version >= 2 else { return (version >= 4, stats) }
      stats.lastRuns = try Row.fetchAll(db, sql: "SELECT * FROM sync_runs ORDER BY id DESC LIMIT 3").map { row in
        var counts = SyncRunCounts()
        counts.tasksFetched = row["tasks_fetched"]
        counts.tasksChanged = row["tasks_changed"]
        counts.imagesDownloaded = row["images_downloaded"]
        counts.bytesDownloaded = row["bytes_downloaded"]
        counts.failed = row["failed"]
        counts.requests = row["requests"]
        return SyncRunSummary(
          startedAt: row["started_at"], finishedAt: row["finished_at"], status: row["status"], counts: counts)
      }
      stats.pendingSubmits =
        try Int.fetchOne(db, sql: "SELECT count(*) FROM submissions WHERE outcome IN ('sending', 'unknown')") ?? 0
      return (version >= 4, stats)
    }
    var result = stats
    // The database files, plus the image files as recorded (each once) or, for an old archive, as found.
    result.archiveBytes = databaseBytes() + (counted ? stats.archiveBytes : imageFolderBytes())
    return result
  }

  /// What `archive_counts` holds, counted from the tables: rows of (kind, key, n).
  static let countsSQL = """
    SELECT 'action', coalesce(action, '?'), count(*) FROM tasks GROUP BY 2
    UNION ALL SELECT 'status', coalesce(status, '?'), count(*) FROM tasks GROUP BY 2
    UNION ALL SELECT 'unfetched', '', count(*) FROM known_tasks k
      WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = k.id)
    UNION ALL SELECT 'without_images', '', count(*) FROM tasks t
      WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> ''
        AND NOT EXISTS (SELECT 1 FROM images i WHERE i.task_id = t.id AND i.kind = 'original')
    -- Each file once, however many rows name it (an original shared by identical images).
    UNION ALL SELECT 'image_bytes', '', coalesce(sum(bytes), 0) FROM (SELECT max(bytes) AS bytes FROM images GROUP BY path)
    """

  /// Fills `archive_counts` from the tables (schema 4's migration, and `reindex`).
  static let countsFillSQL = "INSERT INTO archive_counts " + countsSQL + ";"

  /// Counts tasks a batch inserted (the store's share of `archive_counts`; triggers keep the rest).
  static func countInserted(_ tasks: [PreparedTask], outcomes: [StoreOutcome], in db: Database) throws {
    let insertedIds = tasks.indices.compactMap { outcomes[$0] == .inserted ? tasks[$0].record.id : nil }
    guard !insertedIds.isEmpty else { return }
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

  /// Stats from (kind, key, n) rows: the kept counts (schema 4), or `countsSQL` for an older archive
  /// that is only read; `archiveBytes` holds the recorded image bytes.
  private static func counts(in db: Database, kept: Bool) throws -> ArchiveStats {
    let source = kept ? "SELECT kind, key, n FROM archive_counts" : countsSQL
    var byKind: [String: [(String, Int)]] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT * FROM (\(source)) WHERE n <> 0 ORDER BY 3 DESC, 2") {
      byKind[row[0], default: []].append((row[1], row[2]))
    }
    let total = { (kind: String) in byKind[kind]?.first?.1 ?? 0 }
    let byStatus = byKind["status"] ?? []
    return ArchiveStats(
      tasks: byStatus.reduce(0) { $0 + $1.1 }, unfetched: total("unfetched"), byAction: byKind["action"] ?? [],
      byStatus: byStatus, archiveBytes: Int64(total("image_bytes")), newestTaskId: nil, newestSubmitTime: nil,
      withoutImages: total("without_images"))
  }

  /// `archive.sqlite` and its `-wal` and `-shm` files.
  private func databaseBytes() -> Int64 {
    ["", "-wal", "-shm"].reduce(0) { total, suffix in
      let size = (try? FileManager.default.attributesOfItem(atPath: databaseURL.path + suffix)[.size]) as? Int
      return total + Int64(size ?? 0)
    }
  }

  /// Every file under `images/`, walked (only for archives older than schema 4).
  private func imageFolderBytes() -> Int64 {
    let manager = FileManager.default
    var total: Int64 = 0
    let folder = directory.appendingPathComponent("images")
    guard let walker = manager.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
    else {
      return 0
    }
    for case let url as URL in walker {
      let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
      if values?.isRegularFile == true { total += Int64(values?.fileSize ?? 0) }
    }
    return total
  }

  /// Rebuilds every derived column, the parameters, the lineage and the full-text index from the raw JSON.
  ///
  /// - Returns: How many tasks were rebuilt.
  @discardableResult
  public func reindex() throws(StoreError) -> Int {
    try write { db in
      var count = 0
      try Self.forEachTask(in: db) { task, record in
        var update = RawBindings(try db.cachedStatement(sql: TaskRecord.updateSQL + " WHERE id = ?"))
        record.bind(into: &update, includingId: false)
        update.bind(task.id)
        try update.execute()
        try Self.storeParameters(of: record, in: db, replacing: true)
        count += 1
      }
      try LineageDerivation.rebuild(in: db)
      try db.execute(sql: "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')")
      try db.execute(sql: "DELETE FROM archive_counts; " + Self.countsFillSQL)
      return count
    }
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
