import Basics
import Foundation
import GRDB
import MidjourneyAPI

/// Copies the write-ahead log into the database on its own thread and connection while bulk batches are written.
///
/// SQLite's automatic checkpoint runs inside the committing writer: at 1M imported tasks it was a
/// tenth of the writer's time, plus the writer's waits for fsync, while the import's reading core
/// had time to spare. A passive checkpoint never blocks the writer; when it keeps up, the writer
/// starts the log afresh, so the log stays about one batch long.
final class BackgroundCheckpointer: @unchecked Sendable {
  // Used and closed by the checkpointing thread only.
  private let connection: DatabaseQueue
  private let requests = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)
  private let stopping = Locked(false)
  // Tasks committed since the last request; the writer's alone (requests come under the store's lock).
  private(set) var uncopied = 0

  /// Opens a second connection to the archive at `path`.
  init(path: String) throws {
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.label = "mjarchive-checkpoint"
    connection = try DatabaseQueue(path: path, configuration: configuration)
  }

  /// Starts the checkpointing thread.
  func start() {
    let thread = Thread { [self] in
      while true {
        requests.wait()
        if stopping.withLock({ $0 }) { break }
        // A failed checkpoint loses nothing: the frames stay in the log for the next one, or for SQLite's own.
        try? connection.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
      }
      try? connection.close()
      finished.signal()
    }
    thread.name = "mjarchive checkpointer"
    thread.start()
  }

  /// Counts a commit of `count` tasks; asks for a checkpoint once `every` were committed since the last.
  ///
  /// Returns at once. Called by the writer only.
  func request(afterStoring count: Int, every: Int) {
    uncopied += count
    guard uncopied >= every else { return }
    uncopied = 0
    requests.signal()
  }

  /// Stops the thread, and its connection, once its current checkpoint is done.
  func finish() {
    stopping.withLock { $0 = true }
    requests.signal()
    finished.wait()
  }
}
