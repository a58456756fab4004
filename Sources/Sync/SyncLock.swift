import Foundation
import SafeFiles

/// Keeps two syncs of one archive apart: an exclusive `flock` on `sync.lock` in the archive folder (`FolderLock`).
public final class SyncLock: Sendable {
  private let lock: FolderLock

  private init(lock: FolderLock) {
    self.lock = lock
  }

  /// Takes the lock at once, or fails naming the holder.
  ///
  /// - Throws: `SyncError.locked` when another process holds it, `.files` when the file cannot be opened.
  public static func acquire(in directory: URL, now: Date = Date()) throws(SyncError) -> SyncLock {
    do {
      return SyncLock(
        lock: try FolderLock.acquire("sync.lock", in: try OwnedFolder(directory, create: false), now: now))
    } catch let error as FolderLock.Failure {
      switch error {
      case .held(let holder): throw .locked(holder: holder)
      case .unusable(let reason): throw .files(reason.description)
      }
    } catch {
      throw .files((error as? OwnedFolderError)?.description ?? "cannot open \(directory.path)")
    }
  }
}
