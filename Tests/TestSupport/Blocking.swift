import Foundation

/// Runs blocking `work` (a process, a socket read, a server's start) on a Dispatch thread and waits for it there.
///
/// Swift has as many cooperative threads as cores. A test that blocks one starves the in-process servers other
/// tests talk to (the simulator, the listener), which then miss their timeouts under a loaded CI run.
public func withoutBlockingThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
  }
}
