import Foundation
import GRDB

/// A query's rows read on a thread of their own and handed over in batches, at most two ahead of the consumer, so
/// async code walks an archive of millions of images in little memory (a GRDB cursor lives inside one synchronous
/// read, which an `await` cannot sit in).
///
/// The read is one transaction: every batch comes from the same snapshot, whatever is written meanwhile. A
/// consumer that stops early ends the read.
public struct RowBatches<Element: Sendable>: AsyncSequence, Sendable {
  public typealias Failure = any Error

  /// How far the reader may run ahead: the batches handed over and not yet taken.
  fileprivate final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting = 0
    private var stopped = false

    /// Waits for room for one more batch; false once the consumer went away.
    func enter() -> Bool {
      condition.lock()
      defer { condition.unlock() }
      while waiting >= 2 && !stopped { condition.wait() }
      waiting += 1
      return !stopped
    }

    func taken() {
      condition.lock()
      waiting = Swift.max(0, waiting - 1)
      condition.broadcast()
      condition.unlock()
    }

    func stop() {
      condition.lock()
      stopped = true
      condition.broadcast()
      condition.unlock()
    }
  }

  private let stream: AsyncThrowingStream<[Element], any Error>
  private let gate: Gate

  /// Starts reading `sql` from `database`, each row made into an element by `make` (nil skips it).
  init(_ database: any DatabaseReader, sql: String, batchSize: Int, make: @escaping @Sendable (Row) -> Element?) {
    let gate = Gate()
    let (stream, continuation) = AsyncThrowingStream<[Element], any Error>.makeStream()
    continuation.onTermination = { _ in gate.stop() }
    let thread = Thread {
      do {
        try database.read { db in
          let rows = try Row.fetchCursor(db, sql: sql)
          var batch: [Element] = []
          while let row = try rows.next() {
            if let element = make(row) { batch.append(element) }
            guard batch.count >= batchSize else { continue }
            guard gate.enter() else { return }
            continuation.yield(batch)
            batch = []
          }
          if !batch.isEmpty, gate.enter() { continuation.yield(batch) }
        }
        continuation.finish()
      } catch {
        continuation.finish(throwing: ArchiveStore.storeError(error))
      }
    }
    thread.name = "mjarchive row reader"
    thread.start()
    self.stream = stream
    self.gate = gate
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    fileprivate var base: AsyncThrowingStream<[Element], any Error>.AsyncIterator
    fileprivate let gate: Gate

    public mutating func next() async throws -> [Element]? {
      let batch = try await base.next()
      gate.taken()
      return batch
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: stream.makeAsyncIterator(), gate: gate)
  }
}
