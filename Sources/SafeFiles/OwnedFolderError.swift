import Foundation

/// Why a file in a folder mjarchive owns could not be written, read or removed.
public enum OwnedFolderError: Error, CustomStringConvertible, Sendable, Equatable {
  /// A symbolic link stands where a folder or file of ours should be: it is never followed.
  case symbolicLink(path: String)
  /// Something other than a folder stands where one of ours should be.
  case notAFolder(path: String)
  /// A relative path with an empty, `.` or `..` part, or a NUL: it could name something outside the folder.
  case unsafePath(String)
  /// The disk is full.
  case noSpace(path: String, freeBytes: Int64?)
  /// Any other failure of the system call, with the system's words.
  case system(operation: String, path: String, reason: String)

  public var description: String {
    switch self {
    case .symbolicLink(let path):
      "\(path) is a symbolic link: mjarchive never follows a link it did not make inside a folder it owns; "
        + "remove the link (or move the real folder there) and run again"
    case .notAFolder(let path):
      "\(path) is not a folder: move it away and run again"
    case .unsafePath(let path):
      "\"\(String(path.unicodeScalars.prefix(80).map { $0.value < 0x20 ? "?" : Character($0) }))\" is not a plain "
        + "relative path; nothing was written"
    case .noSpace(let path, let free):
      "no space left on the disk of \(path)"
        + (free.map { " (\(Self.megabytes($0)) free)" } ?? "") + ": free some space and run again"
    case .system(let operation, let path, let reason):
      "cannot \(operation) \(path): \(reason)"
    }
  }

  /// The error for `errno` after `operation` on `path`: a full disk is named as such.
  public static func failure(_ operation: String, _ path: String, errno code: Int32) -> OwnedFolderError {
    if code == ENOSPC || code == EDQUOT {
      // The free space of the nearest folder on the path that exists.
      var status = statvfs()
      var folder = path
      var free: Int64?
      while free == nil && folder != "/" && !folder.isEmpty {
        folder = (folder as NSString).deletingLastPathComponent
        if statvfs(folder.isEmpty ? "/" : folder, &status) == 0 {
          free = Int64(status.f_bavail) * Int64(status.f_frsize)
        }
      }
      return .noSpace(path: path, freeBytes: free)
    }
    return .system(operation: operation, path: path, reason: String(cString: strerror(code)))
  }

  private static func megabytes(_ bytes: Int64) -> String {
    bytes >= 10_000_000 ? "\(bytes / 1_000_000) MB" : String(format: "%.1f MB", Double(bytes) / 1_000_000)
  }
}
