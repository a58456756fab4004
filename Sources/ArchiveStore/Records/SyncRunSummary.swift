/// One recorded sync run, for `stats`.
public struct SyncRunSummary: Sendable, Equatable {
  /// Unix milliseconds.
  public var startedAt: Int64
  public var finishedAt: Int64?
  /// running, done, failed or interrupted.
  public var status: String
  public var counts: SyncRunCounts
}
