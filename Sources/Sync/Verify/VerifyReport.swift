import ArchiveStore

/// What `verify` found: SQLite's verdict, the search index's, and every file problem.
public struct VerifyReport: Sendable {
  /// `PRAGMA integrity_check`'s messages; empty when the database is sound.
  public var databaseProblems: [String] = []
  /// Whether the full-text index matches the tasks (nil: not checked, the archive was open for reading only).
  public var searchIndexInStep: Bool?
  /// Image rows read.
  public var rows = 0
  /// Distinct files hashed.
  public var filesChecked = 0
  /// Their bytes.
  public var bytesChecked: Int64 = 0
  public var problems: [VerifyProblem] = []
  /// The rows as read, for `repair`.
  var records: [ImageRecord] = []

  /// Nothing wrong anywhere.
  public var isClean: Bool { databaseProblems.isEmpty && searchIndexInStep != false && problems.isEmpty }

  public init() {}
}
