import Foundation

/// A folder mjarchive owns (an archive, a gallery), written, read and cleaned through descriptors so that no
/// symbolic link inside it is ever followed.
///
/// The folder itself may be a link (an archive kept on another disk is the user's choice); below it, every part
/// of a path is opened with `O_NOFOLLOW` relative to its parent's descriptor, and files are created with `O_EXCL`
/// under a temporary name and renamed into place with `renameat`, which replaces a link rather than writing
/// through it. A link planted where a folder of ours should be is refused with `OwnedFolderError.symbolicLink`,
/// naming it. Folder descriptors are kept open for the life of the object, so a folder swapped for a link after
/// it was opened is not followed either. Safe to use from many threads.
public final class OwnedFolder: @unchecked Sendable {
  /// A file in a folder, as a listing sees it (never through a link).
  public struct Entry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case file, folder, symbolicLink, other }
    public var name: String
    public var kind: Kind
  }

  /// A file being written under a temporary name; `commit` gives it its real one.
  public struct TemporaryFile: Sendable {
    /// Open for writing (and reading).
    public let descriptor: Int32
    /// The folder it is in, relative to the owned folder.
    public let folder: String
    /// Its temporary name in that folder.
    public let name: String
  }

  /// The folder, as given.
  public let root: URL
  let rootDescriptor: Int32
  let lock = NSLock()
  /// Descriptors of the folders opened so far, by relative path.
  var folders: [String: Int32] = [:]

  /// Opens the folder, making it (and its parents, 0700 when `private`) when missing.
  ///
  /// - Throws: `OwnedFolderError` when it is not a folder or cannot be made or opened.
  public init(_ root: URL, create: Bool = true, private isPrivate: Bool = false) throws(OwnedFolderError) {
    self.root = root.standardizedFileURL
    if create {
      do {
        try FileManager.default.createDirectory(
          at: self.root, withIntermediateDirectories: true,
          attributes: isPrivate ? [.posixPermissions: 0o700] : nil)
      } catch {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: self.root.path, isDirectory: &isFolder), !isFolder.boolValue {
          throw .notAFolder(path: self.root.path)
        }
        throw .system(
          operation: "make the folder", path: self.root.path, reason: (error as NSError).localizedDescription)
      }
    }
    let descriptor = open(self.root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw errno == ENOTDIR
        ? .notAFolder(path: self.root.path) : .failure("open the folder", self.root.path, errno: errno)
    }
    rootDescriptor = descriptor
  }

  deinit {
    for descriptor in folders.values { close(descriptor) }
    close(rootDescriptor)
  }

  /// The full path of `relative`, for messages.
  public func path(_ relative: String) -> String {
    relative.isEmpty ? root.path : root.path + "/" + relative
  }

  // MARK: - Folders

  /// The descriptor of the folder at `relative` ("" for the owned folder itself), each part opened without
  /// following a link; missing parts are made (with `mode`).
  ///
  /// - Throws: `.symbolicLink` or `.notAFolder` naming the part in the way; `.unsafePath` for `..` and the like.
  @discardableResult
  public func folder(_ relative: String, mode: mode_t = 0o755) throws(OwnedFolderError) -> Int32 {
    // With `create`, a missing part is made, so nil never comes back.
    try existingFolder(relative, create: true, mode: mode) ?? rootDescriptor
  }

  /// Like `folder`, but nil when a part is missing and `create` is false.
  func existingFolder(_ relative: String, create: Bool, mode: mode_t = 0o755) throws(OwnedFolderError)
    -> Int32?
  {
    if relative.isEmpty { return rootDescriptor }
    if let known = lock.withLock({ folders[relative] }) { return known }
    let parts = try Self.parts(relative)
    var parent = rootDescriptor
    var walked = ""
    for part in parts {
      walked = walked.isEmpty ? part : walked + "/" + part
      if let known = lock.withLock({ folders[walked] }) {
        parent = known
        continue
      }
      var descriptor = openat(parent, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      if descriptor < 0 && errno == ENOENT {
        guard create else { return nil }
        if mkdirat(parent, part, mode) != 0 && errno != EEXIST {
          throw .failure("make the folder", path(walked), errno: errno)
        }
        descriptor = openat(parent, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      }
      guard descriptor >= 0 else { throw refusal(opening: walked, in: parent, name: part, errno: errno) }
      parent = lock.withLock {
        if let raced = folders[walked] {
          close(descriptor)
          return raced
        }
        folders[walked] = descriptor
        return descriptor
      }
    }
    return parent
  }

  /// Closes the kept descriptors of the folder at `relative` and of those inside it (it was removed: a later write
  /// there must make it again, not go into the removed one).
  func forgetFolder(_ relative: String) {
    lock.withLock {
      for (path, descriptor) in folders where path == relative || path.hasPrefix(relative + "/") {
        close(descriptor)
        folders[path] = nil
      }
    }
  }

  /// The folder's contents, links listed as links (never entered); nil when the folder does not exist.
  ///
  /// - Throws: `.symbolicLink` when the folder or a part of its path is a link.
  public func entries(_ relative: String) throws(OwnedFolderError) -> [Entry]? {
    guard let folderDescriptor = try existingFolder(relative, create: false) else { return nil }
    let listing = openat(folderDescriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard listing >= 0, let directory = fdopendir(listing) else {
      throw .failure("list", path(relative), errno: errno)
    }
    defer { closedir(directory) }
    var entries: [Entry] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
        String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      var status = stat()
      guard fstatat(folderDescriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
      entries.append(Entry(name: name, kind: Self.kind(status)))
    }
    return entries.sorted { $0.name < $1.name }
  }

  // MARK: - Paths

  /// The descriptor of `relative`'s folder (nil when it does not exist and `create` is false) and its last part.
  func parentAndName(_ relative: String, create: Bool) throws(OwnedFolderError) -> (Int32?, String) {
    let (folder, name) = try Self.split(relative)
    return (try existingFolder(folder, create: create), name)
  }

  /// A relative path's folder and last part, refusing anything that could leave the folder.
  static func split(_ relative: String) throws(OwnedFolderError) -> (folder: String, name: String) {
    try checkSafe(relative)
    guard let slash = relative.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", relative) }
    return (String(relative[..<slash]), String(relative[relative.utf8.index(after: slash)...]))
  }

  static func parts(_ relative: String) throws(OwnedFolderError) -> [String] {
    try checkSafe(relative)
    return relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
  }

  /// Refuses an empty path, a NUL, and an empty, `.` or `..` part, in one pass over the bytes (checked for every
  /// file an export writes or stats).
  private static func checkSafe(_ relative: String) throws(OwnedFolderError) {
    // A part is refused when it is empty or all dots and at most two long.
    var partLength = 0
    var dots = 0
    for byte in relative.utf8 {
      if byte == UInt8(ascii: "/") {
        guard partLength > dots || partLength > 2 else { throw .unsafePath(relative) }
        partLength = 0
        dots = 0
        continue
      }
      guard byte != 0 else { throw .unsafePath(relative) }
      partLength += 1
      if byte == UInt8(ascii: ".") { dots += 1 }
    }
    guard partLength > dots || partLength > 2 else { throw .unsafePath(relative) }
  }

  /// Why `name` in `parent` could not be opened as a folder: a link and a file are named as such.
  func refusal(opening relative: String, in parent: Int32, name: String, errno code: Int32) -> OwnedFolderError {
    var status = stat()
    if (code == ELOOP || code == ENOTDIR) && fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 {
      return Self.kind(status) == .symbolicLink
        ? .symbolicLink(path: path(relative)) : .notAFolder(path: path(relative))
    }
    return .failure("open the folder", path(relative), errno: code)
  }

  static func kind(_ status: stat) -> Entry.Kind {
    switch status.st_mode & S_IFMT {
    case S_IFREG: .file
    case S_IFDIR: .folder
    case S_IFLNK: .symbolicLink
    default: .other
    }
  }
}
