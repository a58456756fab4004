import Foundation

extension OwnedFolder {
  // MARK: - Files

  /// The file's status, not following a link; nil when it does not exist.
  public func status(_ relative: String) throws(OwnedFolderError) -> stat? {
    let (parent, name) = try parentAndName(relative, create: false)
    guard let parent else { return nil }
    var status = stat()
    guard fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
      if errno == ENOENT { return nil }
      throw .failure("read the status of", path(relative), errno: errno)
    }
    return status
  }

  /// Opens a regular file for reading, never through a link; nil when it does not exist.
  ///
  /// - Throws: `.symbolicLink` when it (or a folder on its way) is a link, `.system` when it is not a regular file.
  public func openForReading(_ relative: String) throws(OwnedFolderError) -> Int32? {
    let (parent, name) = try parentAndName(relative, create: false)
    guard let parent else { return nil }
    let descriptor = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { return nil }
      throw errno == ELOOP ? .symbolicLink(path: path(relative)) : .failure("open", path(relative), errno: errno)
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      close(descriptor)
      throw .system(operation: "read", path: path(relative), reason: "it is not a regular file")
    }
    return descriptor
  }

  /// Makes a new file under a temporary name (`.<hint>.<random>.tmp`) in `folder`, made when missing.
  public func temporaryFile(in folder: String, hint: String, mode: mode_t = 0o644) throws(OwnedFolderError)
    -> TemporaryFile
  {
    let parent = try self.folder(folder)
    for _ in 0..<8 {
      let name = ".\(hint).\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
      let descriptor = openat(parent, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
      if descriptor >= 0 { return TemporaryFile(descriptor: descriptor, folder: folder, name: name) }
      guard errno == EEXIST else { throw .failure("create a file in", path(folder), errno: errno) }
    }
    throw .system(operation: "create a file in", path: path(folder), reason: "no free temporary name")
  }

  /// Flushes (when `durable`) and closes a temporary file and renames it to `relative`, replacing what is there
  /// (a link there is replaced, not followed); on failure the temporary file is removed.
  ///
  /// - Returns: The file's status as written.
  @discardableResult
  public func commit(_ file: TemporaryFile, as relative: String, durable: Bool = true) throws(OwnedFolderError)
    -> stat
  {
    var closed = false
    defer {
      if !closed { close(file.descriptor) }
    }
    var status = stat()
    do throws(OwnedFolderError) {
      if durable && fsync(file.descriptor) != 0 { throw .failure("write", path(relative), errno: errno) }
      guard fstat(file.descriptor, &status) == 0 else { throw .failure("write", path(relative), errno: errno) }
      closed = true
      guard close(file.descriptor) == 0 else { throw .failure("write", path(relative), errno: errno) }
      let (parent, name) = try parentAndName(relative, create: true)
      guard let parent, renameat(try folder(file.folder), file.name, parent, name) == 0 else {
        throw .failure("write", path(relative), errno: errno)
      }
    } catch {
      discard(file, closed: closed)
      throw error
    }
    return status
  }

  /// Removes a temporary file's name, keeping it open.
  ///
  /// Scratch space that nothing outlives, a kill included. The caller closes the descriptor.
  public func detach(_ file: TemporaryFile) {
    if let parent = try? existingFolder(file.folder, create: false) { unlinkat(parent, file.name, 0) }
  }

  /// Removes a temporary file that will not be committed.
  public func discard(_ file: TemporaryFile) {
    discard(file, closed: false)
  }

  func discard(_ file: TemporaryFile, closed: Bool) {
    if !closed { close(file.descriptor) }
    if let parent = try? existingFolder(file.folder, create: false) { unlinkat(parent, file.name, 0) }
  }

  /// Writes `bytes` to `relative` through a temporary file and a rename, so no reader sees half of it.
  ///
  /// - Returns: The file's status as written.
  @discardableResult
  public func write(
    _ bytes: some ContiguousBytes, to relative: String, mode: mode_t = 0o644, durable: Bool = true
  ) throws(OwnedFolderError) -> stat {
    let (folder, name) = try Self.split(relative)
    let file = try temporaryFile(in: folder, hint: name, mode: mode)
    let failure: Int32? = bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let count = Foundation.write(file.descriptor, base + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return errno }
        offset += count
      }
      return nil
    }
    if let failure {
      discard(file)
      throw .failure("write", path(relative), errno: failure)
    }
    return try commit(file, as: relative, durable: durable)
  }

  /// Hard-links the open regular file `source` to `relative`, replacing what is there: linked by its descriptor
  /// (through `/proc/self/fd`), so what was checked when it was opened is what is linked, never a link swapped in.
  ///
  /// - Returns: False when the file systems cannot link the two (different file systems, no hard links there, too
  ///   many links): copy instead.
  @discardableResult
  public func hardLink(_ source: Int32, to relative: String) throws(OwnedFolderError) -> Bool {
    let (folder, name) = try Self.split(relative)
    let parent = try self.folder(folder)
    let temporary = ".\(name).\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
    guard linkat(AT_FDCWD, "/proc/self/fd/\(source)", parent, temporary, AT_SYMLINK_FOLLOW) == 0 else {
      if [EXDEV, EPERM, EMLINK].contains(errno) { return false }
      throw .failure("link a file to", path(relative), errno: errno)
    }
    guard renameat(parent, temporary, parent, name) == 0 else {
      let code = errno
      unlinkat(parent, temporary, 0)
      throw .failure("link a file to", path(relative), errno: code)
    }
    return true
  }

  /// Copies what is left to read of the open file `source` to `relative`, through a temporary file and a rename.
  public func copy(_ source: Int32, to relative: String, mode: mode_t = 0o644) throws(OwnedFolderError) {
    let (folder, name) = try Self.split(relative)
    let file = try temporaryFile(in: folder, hint: name, mode: mode)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count = read(source, buffer.baseAddress, buffer.count)
      if count < 0 && errno == EINTR { continue }
      if count == 0 { break }
      let written = count > 0 ? Foundation.write(file.descriptor, buffer.baseAddress, count) : -1
      guard written == count else {
        let code = errno
        discard(file)
        throw .failure("copy a file to", path(relative), errno: code)
      }
    }
    try commit(file, as: relative, durable: false)
  }

  /// A path that reaches `relative` through its folder's open descriptor (`/proc/self/fd/N/name`).
  ///
  /// For a library that opens files by path (libpng): the folder is the one checked, whatever is renamed
  /// meanwhile. The folder is made when missing.
  public func pathThroughDescriptor(_ relative: String) throws(OwnedFolderError) -> String {
    let (folder, name) = try Self.split(relative)
    return "/proc/self/fd/\(try self.folder(folder))/\(name)"
  }

  /// The whole file, read without following a link; nil when it does not exist.
  public func contents(_ relative: String) throws(OwnedFolderError) -> Data? {
    guard let descriptor = try openForReading(relative) else { return nil }
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = read(descriptor, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { throw .failure("read", path(relative), errno: errno) }
      if count == 0 { return data }
      data.append(buffer, count: count)
    }
  }

  /// Moves a file within the owned folder (never through a link), replacing what is at `destination`.
  public func move(_ relative: String, to destination: String) throws(OwnedFolderError) {
    let (from, fromName) = try parentAndName(relative, create: false)
    let (to, toName) = try parentAndName(destination, create: true)
    guard let from, let to, renameat(from, fromName, to, toName) == 0 else {
      throw .failure("move \(relative) to", path(destination), errno: errno)
    }
  }

  /// Removes the folder at `relative` when it is empty; false when it is not empty, not there or not a folder.
  ///
  /// - Throws: `.symbolicLink` when a folder on its way is a link: nothing is removed through one.
  @discardableResult
  public func removeFolderIfEmpty(_ relative: String) throws(OwnedFolderError) -> Bool {
    let (parent, name) = try parentAndName(relative, create: false)
    guard let parent else { return false }
    guard unlinkat(parent, name, AT_REMOVEDIR) == 0 else {
      if [ENOENT, ENOTEMPTY, EEXIST, ENOTDIR].contains(errno) { return false }
      throw .failure("remove the folder", path(relative), errno: errno)
    }
    forgetFolder(relative)
    return true
  }

  /// Removes the file (or the link itself) at `relative`; false when there was none.
  ///
  /// - Throws: `.symbolicLink` when a folder on its way is a link: nothing is removed through one.
  @discardableResult
  public func remove(_ relative: String) throws(OwnedFolderError) -> Bool {
    let (parent, name) = try parentAndName(relative, create: false)
    guard let parent else { return false }
    guard unlinkat(parent, name, 0) == 0 else {
      if errno == ENOENT { return false }
      throw .failure("remove", path(relative), errno: errno)
    }
    return true
  }
}
