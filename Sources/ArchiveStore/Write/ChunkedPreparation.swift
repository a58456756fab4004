import Foundation
import MidjourneyAPI

/// A batch of tasks derived into rows (`PreparedTask`) chunk by chunk on another thread, so the
/// writer stores one chunk while the next is derived; then the whole batch with the labels of the
/// buttons that made tasks of it (`PressedButton`).
///
/// Deriving was a tenth of `store`'s time at 1M tasks (8 of 76 s), all of it spent before the writer began.
final class ChunkedPreparation: @unchecked Sendable {
  private let tasks: [GatewayTask]
  private let chunkSize: Int
  // Guarded by `condition`.
  private let condition = NSCondition()
  private var chunks: [[PreparedTask]] = []
  private var batch: (tasks: [PreparedTask], labels: [PressedButton])?
  private var stopped = false
  private var finished: DispatchSemaphore?

  /// Starts deriving `tasks`, `chunkSize` at a time: on a thread of its own when there is more than
  /// one chunk, else at once on this one.
  ///
  /// A thread of its own rather than a shared queue: the writer waits for it, and a shared pool's
  /// threads may all be busy waiting for that writer.
  init(_ tasks: [GatewayTask], chunkSize: Int) {
    self.tasks = tasks
    self.chunkSize = max(1, chunkSize)
    guard tasks.count > self.chunkSize else {
      derive()
      return
    }
    let finished = DispatchSemaphore(value: 0)
    self.finished = finished
    let thread = Thread { [self] in
      derive()
      finished.signal()
    }
    thread.name = "mjarchive store preparation"
    thread.start()
  }

  /// How many chunks the batch has.
  var chunkCount: Int { (tasks.count + chunkSize - 1) / chunkSize }

  /// Chunk `index` (0-based), waiting until it is derived.
  func chunk(_ index: Int) -> [PreparedTask] {
    condition.lock()
    defer { condition.unlock() }
    while chunks.count <= index { condition.wait() }
    return chunks[index]
  }

  /// Every chunk's tasks in order and the labels of the batch's pressed buttons, waiting until all are derived.
  func whole() -> (tasks: [PreparedTask], labels: [PressedButton]) {
    condition.lock()
    defer { condition.unlock() }
    while batch == nil { condition.wait() }
    return batch ?? ([], [])
  }

  /// Stops deriving (the writer may have given up early) and waits for the thread to end.
  func finish() {
    condition.lock()
    stopped = true
    condition.unlock()
    finished?.wait()
  }

  private func derive() {
    var all: [PreparedTask] = []
    all.reserveCapacity(tasks.count)
    for start in stride(from: 0, to: tasks.count, by: chunkSize) {
      // On this one thread: the writer has the other core.
      let chunk = tasks[start..<min(tasks.count, start + chunkSize)].map(PreparedTask.init)
      all += chunk
      condition.lock()
      chunks.append(chunk)
      let stop = stopped
      condition.broadcast()
      condition.unlock()
      if stop { return }
    }
    let labels = PressedButton.labels(in: all)
    condition.lock()
    batch = (all, labels)
    condition.broadcast()
    condition.unlock()
  }
}
