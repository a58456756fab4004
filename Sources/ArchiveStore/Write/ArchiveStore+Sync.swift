import Foundation
import GRDB
import MidjourneyAPI

/// What sync asks of the archive: which tasks need work, the files it made, the run log.
extension ArchiveStore {
  /// Statuses of tasks still moving on the gateway.
  static let unfinishedStatuses = ["NOT_START", "SUBMITTED", "MODAL", "IN_PROGRESS"]
  /// Actions whose result is a 2×2 grid even when the gateway sends no buttons.
  static let gridActions = ["IMAGINE", "VARIATION", "REROLL", "BLEND", "ZOOM", "PAN", "OUTPAINT", "INPAINT"]

  /// Task ids to fetch: known but never fetched, and not finished; with `refresh`, every task.
  ///
  /// A finished task is never fetched again unless asked, so an archive in step costs no requests.
  public func tasksToFetch(refresh: Bool) throws(StoreError) -> [String] {
    try read { db in
      if refresh {
        return try String.fetchAll(db, sql: "SELECT id FROM known_tasks UNION SELECT id FROM tasks")
      }
      let marks = Self.unfinishedStatuses.map { "'\($0)'" }.joined(separator: ", ")
      return try String.fetchAll(
        db,
        sql: """
          SELECT k.id FROM known_tasks k WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = k.id)
          UNION ALL
          SELECT id FROM tasks WHERE status IS NULL OR status IN (\(marks))
          """)
    }
  }

  /// Which of `ids` need fetching: those the archive has not stored, or stored unfinished (a callback's hint).
  public func tasksToFetch(among ids: [String]) throws(StoreError) -> [String] {
    guard !ids.isEmpty else { return [] }
    let finished = try read { db in
      let marks = Self.unfinishedStatuses.map { "'\($0)'" }.joined(separator: ", ")
      return Set(
        try String.fetchAll(
          db,
          sql: """
            SELECT id FROM tasks WHERE id IN (SELECT value FROM json_each(?))
              AND status IS NOT NULL AND status NOT IN (\(marks))
            """, arguments: [String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)]))
    }
    return ids.filter { !finished.contains($0) }
  }

  /// Finished tasks with an image link whose original is not stored yet, whose grid is not split yet (with
  /// `splits`), or whose single PNG has no thumbnail.
  ///
  /// - Parameters:
  ///   - quadrants: False when the archive keeps grids whole (`sync --no-quadrants`): a grid with thumbnails is done.
  ///   - taskId: Only this task (nil: every task).
  ///   - only: Only the tasks of this kind of image.
  public func imageWork(
    splits: Bool = true, quadrants: Bool = true, taskId: String? = nil, only: ImageSelection = .all
  ) throws(StoreError) -> [ImageWork] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT t.id, t.action, t.image_url, t.prompt, t.final_prompt,
            \(Self.isGridSQL(task: "t.id", action: "t.action")) AS is_grid,
            o.path, o.sha256, o.format, o.width, o.height, o.bytes, o.source_url, o.split,
            EXISTS (SELECT 1 FROM images th WHERE th.task_id = t.id AND th.kind = 'thumbnail') AS has_thumbnails
          FROM tasks t LEFT JOIN images o ON o.task_id = t.id AND o.kind = 'original' AND o.part = 0 AND o.edge = 0
          WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> '' AND (o.task_id IS NULL\(splits ? " OR o.split = \(SplitState.notSplit.rawValue)" : ""))
            \(taskId == nil ? "" : "AND t.id = ?")\(only.sqlCondition(isGrid: Self.isGridSQL(task: "t.id", action: "t.action")))
          """, arguments: StatementArguments(taskId.map { [$0] } ?? [])
      ).compactMap { row -> ImageWork? in
        let isGrid: Bool = row["is_grid"]
        let original: StoredFile? = (row["path"] as String?).map { path in
          StoredFile(
            kind: .original, path: path, sha256: row["sha256"], format: row["format"], width: row["width"],
            height: row["height"], bytes: row["bytes"], sourceURL: row["source_url"])
        }
        // A stored original that needs no split is done once it has thumbnails (verify --repair may
        // have forgotten damaged ones); grids wait for their quadrants, unless the archive makes none.
        if original != nil && (!isGrid || !quadrants) && row["has_thumbnails"] { return nil }
        return ImageWork(
          taskId: row["id"], action: row["action"], imageURL: row["image_url"], prompt: row["prompt"],
          finalPrompt: row["final_prompt"], isGrid: isGrid, original: original)
      }
    }
  }

  /// Records the files made for a task in one transaction (an upsert, not a replace, so the
  /// `archive_counts` triggers see a file replaced as one); `split` says what became of a grid
  /// (`SplitState`), stored on the original; `hashes` (by file content) are kept with them.
  public func recordFiles(
    _ files: [StoredFile], taskId: String, split: SplitState, hashes: [String: ImageHashes] = [:]
  ) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      try Self.insert(hashes, db)
      for file in files {
        try db.execute(
          sql: """
            INSERT INTO images (task_id, kind, part, edge, path, sha256, format, width, height, bytes, source_url,
              split, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id, kind, part, edge) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,
              format = excluded.format, width = excluded.width, height = excluded.height, bytes = excluded.bytes,
              source_url = excluded.source_url, split = excluded.split, created_at = excluded.created_at
            """,
          arguments: [
            taskId, file.kind.rawValue, file.part, file.edge, file.path, file.sha256, file.format, file.width,
            file.height,
            file.bytes, file.sourceURL, file.kind == .original ? split.rawValue : SplitState.notSplit.rawValue, now,
          ])
      }
      if split != .notSplit {
        try db.execute(
          sql: "UPDATE images SET split = ? WHERE task_id = ? AND kind = 'original' AND part = 0 AND edge = 0",
          arguments: [split.rawValue, taskId])
      }
    }
  }

  /// Marks the runs still marked running as interrupted: the caller has just taken the lock and runs none yet, so
  /// they were killed.
  ///
  /// - Returns: How many there were.
  public func endKilledSyncRuns() throws(StoreError) -> Int {
    try write { db in
      try db.execute(sql: "UPDATE sync_runs SET status = 'interrupted' WHERE status = 'running'")
      return db.changesCount
    }
  }

  /// Starts a row in `sync_runs` and returns its id.
  public func beginSyncRun() throws(StoreError) -> Int64 {
    let now = Self.nowMilliseconds()
    return try write { db in
      try db.execute(sql: "INSERT INTO sync_runs (started_at) VALUES (?)", arguments: [now])
      return db.lastInsertedRowID
    }
  }

  /// Ends a `sync_runs` row with its counts and status (done, failed, interrupted).
  public func finishSyncRun(_ id: Int64, counts: SyncRunCounts, status: String) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      try db.execute(
        sql: """
          UPDATE sync_runs SET finished_at = ?, tasks_fetched = ?, tasks_changed = ?, images_downloaded = ?,
            bytes_downloaded = ?, failed = ?, requests = ?, status = ? WHERE id = ?
          """,
        arguments: [
          now, counts.tasksFetched, counts.tasksChanged, counts.imagesDownloaded, counts.bytesDownloaded, counts.failed,
          counts.requests, status, id,
        ])
    }
  }
}
