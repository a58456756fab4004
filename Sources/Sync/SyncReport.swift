import ArchiveStore
import Basics
import MidjourneyAPI

/// What a sync run did.
public struct SyncReport: Sendable {
  /// A task that could not be brought fully home this run (the next run tries again).
  public struct Failure: Sendable, Equatable, CustomStringConvertible {
    public var taskId: String?
    public var reason: String

    /// One line for stderr: the task, then why (made safe for a terminal).
    public var description: String {
      "\(taskId.map { "task \($0): " } ?? "")\(reason.singleLine(limit: 300))"
    }
  }

  public var counts = SyncRunCounts()
  public var failures: [Failure] = []
  /// Submits whose lost answer was found this run.
  public var submitsFound = 0
  /// What the gateway's task list held (`--discover`); nil when it was not read.
  public var discovery: DiscoveryReport?
  /// Seeds of grids the gateway gave this run (`sync --seeds`).
  public var seedsRecorded = 0
}
