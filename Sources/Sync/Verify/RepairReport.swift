/// What `verify --repair` did.
public struct RepairReport: Sendable {
  /// The full-text index was out of step and was rebuilt from the tasks.
  public var searchIndexRebuilt = false
  /// Files (and objects in the archive's bucket) no row named, and damaged cached copies, removed.
  public var straysRemoved = 0
  /// Objects missing or damaged in the archive's bucket, uploaded again from a good cached copy.
  public var reuploaded = 0
  /// Tasks whose images were made or downloaded again.
  public var tasksRepaired = 0
  public var imagesDownloaded = 0
  /// Requests sent to the gateway (refetches and downloads).
  public var requests = 0
  /// Damaged originals kept in `images/damaged/` because no good copy came back.
  public var keptDamaged: [String] = []
  /// What could not be repaired; a later `verify --repair` tries again.
  public var failures: [SyncReport.Failure] = []

  public init() {}
}
