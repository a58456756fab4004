import Dispatch
import Foundation

/// Runs CPU-heavy work (splitting grids, making thumbnails) on dispatch threads, a bounded number at
/// a time, so it never holds the few cooperative threads that downloads need to make progress:
/// network work goes on while grids are split.
final class CPUWorkQueue: @unchecked Sendable {
  private let queue = DispatchQueue(label: "mjarchive.cpu-work", qos: .utility, attributes: .concurrent)
  private let slots: DispatchSemaphore

  /// A queue running at most `width` jobs at once.
  init(width: Int) {
    slots = DispatchSemaphore(value: max(1, width))
  }

  /// Runs `body` on the queue and returns what it returned or threw.
  func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      queue.async { [slots] in
        slots.wait()
        defer { slots.signal() }
        continuation.resume(with: Result { try body() })
      }
    }
  }
}
