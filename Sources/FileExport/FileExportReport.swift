/// What an export of image files did.
public struct FileExportReport: Sendable, Equatable {
  /// Files the selection names (pictures and sidecars).
  public var files = 0
  /// Written by this run: with metadata inside, hard-linked, copied, sidecars.
  public var withMetadata = 0
  public var linked = 0
  public var copied = 0
  public var sidecars = 0
  /// Left as the last run wrote them.
  public var unchanged = 0
  /// Files of earlier runs no longer selected, removed.
  public var removed = 0
  /// Files of earlier runs changed since (by the user): neither replaced nor removed, and no longer tracked.
  public var leftAlone = 0
  /// Pictures the archive records but whose file is missing or not the recorded size (`verify` says more).
  public var missing = 0

  public init() {}

  /// Files this run wrote.
  public var written: Int { withMetadata + linked + copied + sidecars }
}
