/// A file in a bucket archive's local cache, ordered by age (oldest first) for trimming.
struct CachedFile: Comparable {
  /// Modification time in nanoseconds since 1970.
  var modified: Int
  var path: String
  var bytes: Int64

  static func < (lhs: CachedFile, rhs: CachedFile) -> Bool {
    (lhs.modified, lhs.path) < (rhs.modified, rhs.path)
  }
}
