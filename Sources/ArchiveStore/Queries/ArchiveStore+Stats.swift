import Foundation
import GRDB
import MidjourneyAPI

/// What `stats` shows.
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
    let callbacks = Dictionary(byKind["callbacks"] ?? [], uniquingKeysWith: +)
    var stats = ArchiveStats(
      tasks: byStatus.reduce(0) { $0 + $1.1 }, unfetched: total("unfetched"), byAction: byKind["action"] ?? [],
      byStatus: byStatus, archiveBytes: Int64(total("image_bytes")), newestTaskId: nil, newestSubmitTime: nil,
      withoutImages: total("without_images"))
    stats.callbacks = CallbackCounts(
      received: callbacks["received"] ?? 0, coalesced: callbacks["coalesced"] ?? 0, fetched: callbacks["fetched"] ?? 0,
      rejected: callbacks["rejected"] ?? 0)
    return stats
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
}
