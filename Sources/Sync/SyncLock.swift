import Foundation

/// Keeps two syncs of one archive apart: an exclusive `flock` on `sync.lock` in the archive folder.
///
/// The kernel drops the lock when its process ends, however it ends, so a killed run never blocks
/// the next one. The file says who holds it, for the message the second run prints.
public final class SyncLock: Sendable {
  private let descriptor: Int32

  private init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  /// Takes the lock at once, or fails naming the holder.
  ///
  /// - Throws: `SyncError.locked` when another process holds it, `.files` when the file cannot be opened.
  public static func acquire(in directory: URL, now: Date = Date()) throws(SyncError) -> SyncLock {
    let path = directory.appendingPathComponent("sync.lock").path
    let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw SyncError.files("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      var bytes = [UInt8](repeating: 0, count: 200)
      let count = pread(descriptor, &bytes, bytes.count, 0)
      close(descriptor)
      let holder = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
      throw SyncError.locked(holder: holder.isEmpty ? "pid unknown" : holder)
    }
    let formatter = ISO8601DateFormatter()
    let text = "pid \(getpid()), started \(formatter.string(from: now))\n"
    ftruncate(descriptor, 0)
    _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    return SyncLock(descriptor: descriptor)
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
