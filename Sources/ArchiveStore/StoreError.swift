/// What can go wrong with the archive, each in one sentence that says what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file exists but is not an SQLite database (or is damaged).
  case notAnArchive(path: String)
  /// The archive was written by a newer mjarchive.
  case newerSchema(path: String, found: Int, supported: Int)
  /// The archive folder or file cannot be created or opened.
  case cannotOpen(path: String, reason: String)
  /// No task with this id in the archive.
  case taskNotFound(id: String)
  /// The search query is not valid FTS5 syntax.
  case invalidQuery(String)
  /// The search query is longer than allowed.
  case queryTooLong(String)
  /// A filter value cannot be used.
  case invalidFilter(String)
  /// The import file cannot be read.
  case unreadableImport(path: String, reason: String)
  /// An SQLite error, with its message (never the SQL arguments).
  case database(String)
  /// No archive exists in the folder yet.
  case noArchive(path: String)
  /// A write was asked of an archive opened for reading.
  case readOnly(path: String)
  /// The archive needs a schema upgrade that this user cannot write.
  case olderSchema(path: String, found: Int, current: Int)
  /// A picture asked for has no perceptual hashes (not downloaded, not a PNG, or stored before hashes were kept).
  case notHashed(name: String)

  public var description: String {
    switch self {
    case .notAnArchive(let path):
      return
        "\(path) is not an mjarchive archive (not an SQLite database, or damaged); nothing was changed: point --archive elsewhere"
    case .newerSchema(let path, let found, let supported):
      return
        "\(path) was written by a newer mjarchive (schema \(found), this one knows up to \(supported)): upgrade mjarchive"
    case .cannotOpen(let path, let reason):
      return "cannot open the archive at \(path): \(reason)"
    case .taskNotFound(let id):
      return "no task \(id) in the archive: `mjarchive track \(id)` adds it, `mjarchive search` lists what is there"
    case .invalidQuery(let detail):
      return "invalid search query: \(detail) (put words with special characters in double quotes)"
    case .queryTooLong(let detail):
      return "\(detail): shorten it (search for the words that matter)"
    case .invalidFilter(let detail):
      return detail
    case .unreadableImport(let path, let reason):
      return "cannot import \(path): \(reason)"
    case .database(let message):
      return "archive database error: \(message)"
    case .noArchive(let path):
      return
        "there is no archive at \(path) yet: `mjarchive track`, `import` or a submit command creates it (or point --archive elsewhere)"
    case .readOnly(let path):
      return "the archive at \(path) was opened for reading only"
    case .olderSchema(let path, let found, let current):
      return
        "\(path) was made by an older mjarchive (schema \(found), now \(current)) and this user cannot upgrade it: run `mjarchive reindex` as its owner"
    case .notHashed(let name):
      return
        "\(name) has no hashed picture in the archive: `mjarchive sync` brings it home and hashes it, `mjarchive reindex --hashes` hashes pictures stored before"
    }
  }

  /// The process exit code: 2 for a query or filter the user can fix, 1 otherwise.
  public var exitCode: Int32 {
    switch self {
    case .invalidQuery, .queryTooLong, .invalidFilter: return 2
    default: return 1
    }
  }
}
