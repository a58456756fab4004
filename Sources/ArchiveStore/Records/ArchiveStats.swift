/// Counts for `stats`.
public struct ArchiveStats: Sendable, Equatable {
  public var tasks: Int
  /// Ids known (submitted, tracked) but never fetched.
  public var unfetched: Int
  public var byAction: [(String, Int)]
  public var byStatus: [(String, Int)]
  /// Database, WAL and image files, in bytes.
  public var archiveBytes: Int64
  public var newestTaskId: String?
  public var newestSubmitTime: Int64?
  /// Finished tasks with an image link but no downloaded image.
  public var withoutImages: Int
  /// The latest sync runs, newest first.
  public var lastRuns: [SyncRunSummary] = []
  /// Submits whose answer was lost and whose task is not found yet.
  public var pendingSubmits = 0
  /// What `listen` did with the gateway's callbacks (all zero when it never ran).
  public var callbacks = CallbackCounts()

  public static func == (lhs: ArchiveStats, rhs: ArchiveStats) -> Bool {
    lhs.tasks == rhs.tasks && lhs.unfetched == rhs.unfetched && lhs.byAction.map(\.0) == rhs.byAction.map(\.0)
      && lhs.byAction.map(\.1) == rhs.byAction.map(\.1) && lhs.byStatus.map(\.0) == rhs.byStatus.map(\.0)
      && lhs.byStatus.map(\.1) == rhs.byStatus.map(\.1) && lhs.archiveBytes == rhs.archiveBytes
      && lhs.newestTaskId == rhs.newestTaskId && lhs.withoutImages == rhs.withoutImages && lhs.lastRuns == rhs.lastRuns
      && lhs.pendingSubmits == rhs.pendingSubmits && lhs.callbacks == rhs.callbacks
  }
}
