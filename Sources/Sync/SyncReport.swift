import ArchiveStore

/// What a sync run did.
public struct SyncReport: Sendable {
  /// A task that could not be brought fully home this run (the next run tries again).
  public struct Failure: Sendable, Equatable {
    public var taskId: String?
    public var reason: String
  }

  public var counts = SyncRunCounts()
  public var failures: [Failure] = []
  /// Submits whose lost answer was found this run.
  public var submitsFound = 0
}
