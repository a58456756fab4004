import Dispatch

/// Runs the simulator's connection tasks on a queue of their own instead of Swift's cooperative
/// pool, so a process busy with CPU-heavy work (a test run, a demo encoding PNGs) never starves
/// the server into timeouts its clients would then blame on the gateway.
final class SimulatorExecutor: TaskExecutor {
  private let queue = DispatchQueue(label: "mjarchive.simulator", qos: .userInitiated)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
