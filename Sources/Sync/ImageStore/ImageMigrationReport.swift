/// What `migrate-images` did.
public struct ImageMigrationReport: Sendable {
  /// Distinct files the rows name.
  public var files = 0
  /// Files copied to the target now, and their bytes.
  public var copied = 0
  public var bytesCopied: Int64 = 0
  /// Files the target held already (an earlier, interrupted migration copied them).
  public var alreadyThere = 0
  /// Local copies let go after the switch, beyond what the cache keeps.
  public var removedLocally = 0
  /// Whether the archive now keeps its images in the target.
  public var switched = false
  /// Files that could not be copied; the archive stays where it was until a run has none.
  public var failures: [SyncReport.Failure] = []

  public init() {}
}
