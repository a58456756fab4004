import Foundation
import MidjourneyAPI

/// The reading side of an import, on its own thread: records are read, parsed into tasks and
/// derived into rows in batches, handed to the writer at most two batches ahead.
final class ImportPipe: @unchecked Sendable {
  /// One batch: its tasks in submit-time order, the labels of their buttons that made others of them,
  /// the records that failed, or the error that ended reading.
  struct Batch: Sendable {
    var tasks: [PreparedTask] = []
    var labels: [PressedButton] = []
    var failures: [ImportReport.Failure] = []
    var error: JSONRecordReader.ReadError?
  }

  // The reader is used by the reading thread only, until it has handed over its last batch.
  private let reader: JSONRecordReader
  private let batchSize: Int
  private let lock = NSCondition()
  private var ready: [Batch] = []
  private var done = false
  private var stopped = false
  private let finished = DispatchSemaphore(value: 0)

  init(reader: JSONRecordReader, batchSize: Int) {
    self.reader = reader
    self.batchSize = batchSize
  }

  /// Starts reading.
  func start() {
    let thread = Thread { [self] in
      read()
      finished.signal()
    }
    thread.name = "mjarchive import reader"
    thread.start()
  }

  /// The next batch, waiting for it unless `waiting` is false; nil once every batch was handed over
  /// (or, not waiting, when none is ready).
  func next(waiting: Bool = true) -> Batch? {
    lock.lock()
    defer { lock.unlock() }
    while waiting && ready.isEmpty && !done { lock.wait() }
    guard !ready.isEmpty else { return nil }
    let batch = ready.removeFirst()
    lock.broadcast()
    return batch
  }

  /// Stops the reading thread (if the writer gave up early) and waits for it to end.
  func finish() {
    lock.lock()
    stopped = true
    lock.broadcast()
    lock.unlock()
    finished.wait()
  }

  private func read() {
    var batch = Batch()
    var raw: [(record: Int, task: GatewayTask)] = []
    func handOver(last: Bool) -> Bool {
      // In submit-time order, which is `seq` order: FTS5 flushes its pending terms whenever a rowid goes backwards.
      batch.tasks = raw.sorted { ($0.task.submitTime ?? 0, $0.record) < ($1.task.submitTime ?? 0, $1.record) }
        .map { PreparedTask($0.task) }
      batch.labels = PressedButton.labels(in: batch.tasks)
      lock.lock()
      defer { lock.unlock() }
      while ready.count >= 2 && !stopped { lock.wait() }
      guard !stopped else { return false }
      ready.append(batch)
      if last { done = true }
      lock.broadcast()
      batch = Batch()
      raw.removeAll(keepingCapacity: true)
      return true
    }
    while true {
      let next: JSONRecordReader.Record?
      do {
        next = try reader.next()
      } catch {
        batch.error = error
        _ = handOver(last: true)
        return
      }
      guard let record = next else { break }
      switch record.result {
      case .failure(let failure):
        batch.failures.append(ImportReport.Failure(record: record.number, line: failure.line, reason: failure.reason))
      case .success(let (value, bytes)):
        do throws(GatewayError) {
          let task = try GatewayTask(json: value, raw: bytes)
          guard TaskID.isValid(task.id) else { throw GatewayError.invalidTaskID(task.id) }
          raw.append((record.number, task))
        } catch {
          batch.failures.append(
            ImportReport.Failure(record: record.number, line: record.line, reason: error.description))
        }
      }
      if raw.count >= batchSize {
        guard handOver(last: false) else { return }
      }
    }
    _ = handOver(last: true)
  }
}
