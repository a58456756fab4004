import Foundation

/// What a regular file was when written (size, inode, modification time), so a later run can tell the file it wrote
/// from one changed or replaced since.
public enum FileStamp {
  /// `size-inode-mtime` of a regular file; nil for anything else.
  public static func of(_ status: stat) -> String? {
    guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    return "\(status.st_size)-\(status.st_ino)-\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
  }

  /// `inode-mtime-ctime` of a folder, which change whenever a name in it is added, removed or replaced; nil for
  /// anything else.
  public static func ofFolder(_ status: stat) -> String? {
    guard (status.st_mode & S_IFMT) == S_IFDIR else { return nil }
    return
      "\(status.st_ino)-\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)-\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec)"
  }
}
