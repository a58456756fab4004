import Foundation

/// An exclusive `flock` on a file in a folder mjarchive owns, so two runs that write the same folder (two syncs of
/// an archive, two exports into a gallery) never overlap.
///
/// The kernel drops the lock when its process ends, however it ends, so a killed run never blocks the next one.
/// The file says who holds it, for the message the second run prints. It is opened without following a link, so
/// a link planted under its name cannot make the holder's note overwrite another file.
public final class FolderLock: Sendable {
  /// Why the lock was not taken.
  public enum Failure: Error, Sendable, Equatable {
    /// Another process holds it; `holder` is what its file says ("pid 12, started …").
    case held(holder: String)
    /// The lock file could not be opened.
    case unusable(OwnedFolderError)
  }

  private let descriptor: Int32

  private init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  /// Takes the lock on `name` in `folder` at once, or fails naming the holder.
  public static func acquire(_ name: String, in folder: OwnedFolder, now: Date = Date()) throws(Failure) -> FolderLock {
    let parent: Int32
    do {
      parent = try folder.folder("")
    } catch {
      throw .unusable(error)
    }
    let descriptor = openat(parent, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      if errno == ELOOP { throw .unusable(.symbolicLink(path: folder.path(name))) }
      throw .unusable(.failure("open", folder.path(name), errno: errno))
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      close(descriptor)
      throw .unusable(.system(operation: "lock", path: folder.path(name), reason: "it is not a regular file"))
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      var bytes = [UInt8](repeating: 0, count: 200)
      let count = pread(descriptor, &bytes, bytes.count, 0)
      close(descriptor)
      let holder = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw .held(holder: holder.isEmpty ? "pid unknown" : holder)
    }
    let text = "pid \(getpid()), started \(ISO8601DateFormatter().string(from: now))\n"
    ftruncate(descriptor, 0)
    _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    return FolderLock(descriptor: descriptor)
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
