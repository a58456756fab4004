import Foundation
import GRDB

/// What `verify` asks of the archive: SQLite's own checks, every image row, and forgetting files to redo.
extension ArchiveStore {
  /// `PRAGMA integrity_check`: nothing when the database is sound, else SQLite's first messages.
  public func integrityProblems(limit: Int = 20) throws(StoreError) -> [String] {
    let messages = try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(\(max(1, limit)))") }
    return messages == ["ok"] ? [] : messages
  }

  /// Whether the full-text index holds exactly what the tasks say (FTS5's `integrity-check` against its content).
  ///
  /// - Returns: nil when the archive is open for reading only (the check is a write statement to SQLite).
  public func searchIndexInStep() throws(StoreError) -> Bool? {
    guard !isReadOnly else { return nil }
    do {
      try database.write { db in
        try db.execute(sql: "INSERT INTO tasks_fts(tasks_fts, rank) VALUES ('integrity-check', 1)")
      }
      return true
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_CORRUPT_VTAB
    {
      return false
    } catch {
      throw Self.storeError(error)
    }
  }

  /// Rebuilds the full-text index from the tasks.
  public func rebuildSearchIndex() throws(StoreError) {
    try write { db in try db.execute(sql: "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')") }
  }

  /// The distinct paths the `images` rows name: what a bucket's local cache may hold.
  public func imagePaths() throws(StoreError) -> Set<String> {
    try read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT path FROM images")) }
  }

  /// Every file the `images` rows name, in batches read ahead on a thread of their own (little memory at any size).
  ///
  /// With `byPath`, each file once, in byte order of its path (the order S3 lists keys in, so a listing can be
  /// walked beside it); otherwise in the order stored, cheaper, and a file shared by tasks comes once per task.
  /// The source link is left out.
  public func imageFiles(byPath: Bool, batchSize: Int = 2_000) -> RowBatches<StoredFile> {
    let columns = "kind, part, edge, path, sha256, format, width, height, bytes"
    let sql =
      byPath
      ? "SELECT \(columns) FROM images GROUP BY path ORDER BY path" : "SELECT \(columns) FROM images"
    return RowBatches(database, sql: sql, batchSize: batchSize) { row in
      StoredFile(
        kind: StoredFile.Kind(rawValue: row["kind"]) ?? .thumbnail, part: row["part"], edge: row["edge"],
        path: row["path"], sha256: row["sha256"] ?? "", format: row["format"] ?? "", width: row["width"],
        height: row["height"], bytes: row["bytes"] ?? 0)
    }
  }

  /// How many `images` rows there are (a file shared by tasks counts once per task).
  public func imageRowCount() throws(StoreError) -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM images") ?? 0 }
  }

  /// Whether any image is recorded.
  public func hasImages() throws(StoreError) -> Bool {
    try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM images)") ?? false }
  }

  /// Every `images` row, originals with whether their task is a grid.
  public func imageRecords() throws(StoreError) -> [ImageRecord] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT i.task_id, i.kind, i.part, i.edge, i.path, i.sha256, i.format, i.width, i.height, i.bytes,
            i.source_url, i.split, i.kind = 'original' AND (\(Self.isGridSQL(task: "i.task_id", action: "t.action"))) AS is_grid
          FROM images i JOIN tasks t ON t.id = i.task_id
          ORDER BY i.task_id, i.kind, i.part, i.edge
          """
      ).map { row in
        ImageRecord(
          taskId: row["task_id"],
          file: StoredFile(
            kind: StoredFile.Kind(rawValue: row["kind"]) ?? .thumbnail, part: row["part"], edge: row["edge"],
            path: row["path"], sha256: row["sha256"] ?? "", format: row["format"] ?? "", width: row["width"],
            height: row["height"], bytes: row["bytes"] ?? 0, sourceURL: row["source_url"]),
          split: SplitState(stored: row["split"] ?? 0), isGrid: row["is_grid"])
      }
    }
  }

  /// Finished tasks with an image link and no original recorded although a sync finished since they were stored.
  ///
  /// What the archive should hold and does not: a download that keeps failing, or rows an interrupted repair had
  /// forgotten. Tasks no sync has finished since (an import not synced yet) are sync's work, not a problem, and so
  /// are those `only` leaves out.
  public func finishedTasksWithoutOriginal(only: ImageSelection = .all) throws(StoreError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT t.id FROM tasks t
          WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> ''
            AND t.first_seen <= (SELECT max(finished_at) FROM sync_runs WHERE status = 'done')
            AND NOT EXISTS (SELECT 1 FROM images i WHERE i.task_id = t.id AND i.kind = 'original')\(only.sqlCondition(isGrid: Self.isGridSQL(task: "t.id", action: "t.action")))
          ORDER BY t.id
          """)
    }
  }

  /// Whether the task's original image is recorded.
  public func hasOriginal(taskId: String) throws(StoreError) -> Bool {
    try read { db in
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM images WHERE task_id = ? AND kind = 'original')", arguments: [taskId])
        ?? false
    }
  }

  /// Forgets recorded files of a task so the next image pass makes them again.
  ///
  /// With `resplit`, the grid's split is marked as not done, so its quadrants and thumbnails are made
  /// again from the stored original; a forgotten original is downloaded again.
  public func forgetFiles(_ files: [StoredFile], taskId: String, resplit: Bool) throws(StoreError) {
    try write { db in
      for file in files {
        try db.execute(
          sql: "DELETE FROM images WHERE task_id = ? AND kind = ? AND part = ? AND edge = ?",
          arguments: [taskId, file.kind.rawValue, file.part, file.edge])
      }
      if resplit {
        try db.execute(
          sql: "UPDATE images SET split = ? WHERE task_id = ? AND kind = 'original' AND part = 0 AND edge = 0",
          arguments: [SplitState.notSplit.rawValue, taskId])
      }
    }
  }

  /// The SQL truth value "this task is a 2×2 grid": it has U1–U4 buttons, or it has no buttons and its action makes grids.
  static func isGridSQL(task: String, action: String) -> String {
    let gridActions = Self.gridActions.map { "'\($0)'" }.joined(separator: ", ")
    return """
      EXISTS (SELECT 1 FROM buttons b WHERE b.task_id = \(task) AND b.custom_id LIKE 'MJ::JOB::upsample::_::%')
        OR (\(action) IN (\(gridActions)) AND NOT EXISTS (SELECT 1 FROM buttons b WHERE b.task_id = \(task)))
      """
  }
}
