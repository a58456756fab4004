/// Where a running sync is, for a progress line.
public struct SyncProgress: Sendable {
  /// What the run is doing.
  public enum Phase: String, Sendable {
    case fetching = "tasks", downloading = "images", verifying = "files checked", repairing = "repairs",
      migrating = "files moved", seeds = "seeds asked"
  }

  public var phase: Phase
  public var done: Int
  public var total: Int
  public var bytes: Int
  public var failed: Int
}
