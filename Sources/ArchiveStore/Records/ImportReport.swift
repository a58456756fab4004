/// What an import stored and what it could not.
public struct ImportReport: Sendable, Equatable {
  /// A record that could not be stored.
  public struct Failure: Sendable, Equatable {
    /// 1-based record number in the input.
    public var record: Int
    /// 1-based line where the problem is.
    public var line: Int
    public var reason: String
  }

  public var inserted = 0
  public var updated = 0
  public var unchanged = 0
  /// Records that could not be stored (each was reported as it was found).
  public var failed = 0

  /// Records stored or already present.
  public var accepted: Int { inserted + updated + unchanged }
}
