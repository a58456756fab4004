import Foundation

/// A value guarded by a lock, for state shared by `DispatchQueue.concurrentPerform` workers.
///
/// An `NSLock` (a pthread mutex) rather than `Synchronization.Mutex`: ThreadSanitizer cannot see the
/// toolchain's uninstrumented futex-based `Mutex`, and reported its guarded state as raced
/// (`Scripts/sanitize.sh thread`, export-gallery's page writers).
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) {
    self.value = value
  }

  /// Runs `body` with the value while holding the lock.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
