import ArchiveStore

/// What `verify` found: SQLite's verdict, the search index's, and every file problem.
public struct VerifyReport: Sendable {
  /// `PRAGMA integrity_check`'s messages; empty when the database is sound.
  public var databaseProblems: [String] = []
  /// Whether the full-text index matches the tasks (nil: not checked, the archive was open for reading only).
  public var searchIndexInStep: Bool?
  /// Image rows read.
  public var rows = 0
  /// Distinct files hashed (objects checked, when the images live in a bucket).
  public var filesChecked = 0
  /// Their bytes.
  public var bytesChecked: Int64 = 0
  /// The bucket (`s3://BUCKET/PREFIX`) whose objects were checked, when the archive keeps its images in one.
  public var bucket: String?
  /// Whether those objects were downloaded and hashed, not only sized.
  public var deep = false
  public var problems: [VerifyProblem] = []
  /// PNG originals and quadrants without perceptual hashes (stored before hashes were kept, or not decodable):
  /// told, not a problem; `reindex --hashes` makes them.
  public var unhashed = 0
  /// The rows as read, for `repair`.
  var records: [ImageRecord] = []

  /// Nothing wrong anywhere.
  public var isClean: Bool { databaseProblems.isEmpty && searchIndexInStep != false && problems.isEmpty }

  public init() {}
}
