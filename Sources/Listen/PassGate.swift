import Basics
import Foundation
import Sync

/// `listen`'s hold on the archive: the lock, taken when a pass starts with none going on and let go when the last
/// one ends, so passes overlap under one hold while `sync` from cron still gets its turn between them; and the task
/// ids the passes going on are working on, so no two passes fetch one task at once.
final class PassGate: Sendable {
  private struct State {
    var lock: SyncLock?
    var passes = 0
    var busy: Set<String> = []
  }

  private let state = Locked(State())
  private let directory: URL

  init(directory: URL) {
    self.directory = directory
  }

  /// Passes going on.
  var passes: Int { state.withLock { $0.passes } }

  /// Task ids the passes going on are working on.
  var busy: Set<String> { state.withLock { $0.busy } }

  /// Starts a pass over `ids`, taking the lock when no pass holds it.
  ///
  /// - Returns: True when this took the lock (no pass of this process runs, so runs still marked running were
  ///   killed), false when it joined passes already going on.
  /// - Throws: `SyncError.locked` when another process holds the lock.
  func enter(_ ids: [String]) throws(SyncError) -> Bool {
    try state.withLock { state -> Result<Bool, SyncError> in
      let tookLock = state.lock == nil
      if tookLock {
        do throws(SyncError) {
          state.lock = try SyncLock.acquire(in: directory)
        } catch {
          return .failure(error)
        }
      }
      state.passes += 1
      state.busy.formUnion(ids)
      return .success(tookLock)
    }.get()
  }

  /// Ends a pass over `ids`; the last one going on lets the lock go.
  func leave(_ ids: [String]) {
    state.withLock { state in
      state.passes -= 1
      state.busy.subtract(ids)
      if state.passes == 0 { state.lock = nil }
    }
  }
}
