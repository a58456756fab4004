import Dispatch
import Synchronization

/// Serial queues the simulator answers requests on, taken in turn.
///
/// Not `DispatchQueue.global()`: on Linux its pool is as wide as the machine has cores and is shared with every
/// other user in the process (grid splitting, gallery export), so in a busy test run a fetch waited behind them
/// past the client's 30 s timeout. A serial queue of its own always gets a thread; four of them let a slow first
/// render of a picture run beside quick answers.
final class SimulatorResponders: Sendable {
  private let queues: [DispatchQueue]
  private let next = Atomic<Int>(0)

  init(lanes: Int = 4) {
    queues = (0..<max(1, lanes)).map { DispatchQueue(label: "mjarchive.simulator.respond.\($0)", qos: .userInitiated) }
  }

  /// Runs `work` on the next lane and returns its result.
  func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    let lane = next.wrappingAdd(1, ordering: .relaxed).oldValue % queues.count
    return await withCheckedContinuation { continuation in
      queues[lane].async { continuation.resume(returning: work()) }
    }
  }
}
