/// Which relative paths a row may name: files under the three image folders, never outside them.
enum ArchivePath {
  static let imageFolders: Set<Substring> = ["originals", "quadrants", "thumbs"]

  /// True for `images/<originals|quadrants|thumbs>/…` with no empty, `.` or `..` component and no NUL.
  static func isSafe(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3, parts.count <= 4, parts[0] == "images", imageFolders.contains(parts[1]),
      !path.utf8.contains(0)
    else { return false }
    return parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }
}
