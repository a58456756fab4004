import ArchiveStore
import Foundation
import Logging
import MidjourneyAPI
import ObjectStorage
import Synchronization

/// What one sync (or repair) run counts, shared by its concurrent items, and the one place an item's error is
/// sorted into a failure of that item or a stop of the whole run.
final class SyncTally: Sendable {
  private let state = Mutex<(report: SyncReport, fatal: SyncError?, done: Int)>((SyncReport(), nil, 0))
  let logger: Logger
  let pacer: RequestPacer

  init(logger: Logger, pacer: RequestPacer) {
    self.logger = logger
    self.pacer = pacer
  }

  /// Waits for the next API request's turn under the rate cap, and counts it.
  func request() async {
    await pacer.admit()
    countRequest()
  }

  /// Counts a request the rate cap does not apply to (an image download).
  func countRequest() {
    state.withLock { $0.report.counts.requests += 1 }
  }

  func update(_ body: (inout SyncReport) -> Void) {
    state.withLock { body(&$0.report) }
  }

  /// Counts a batch of tasks fetched and stored.
  func stored(_ outcomes: [ArchiveStore.StoreOutcome]) {
    update { report in
      report.counts.tasksFetched += outcomes.count
      report.counts.tasksChanged += outcomes.filter { $0 == .inserted || $0 == .updated }.count
    }
  }

  /// Sorts an item's error: the archive failing, or the gateway or the bucket refusing the credentials, stops the
  /// run; anything else fails that item only (the next run retries it).
  ///
  /// - Parameter context: Put before the message of an error that is neither the gateway's nor the store's.
  func absorb(_ error: any Error, taskId: String?, context: String? = nil) {
    switch error {
    case let error as StoreError: stop(.store(error))
    case SyncError.store(let error): stop(.store(error))
    case let error as S3Error where error.exitCode != 1:
      // Every upload would be refused the same way: stop rather than fail each task in turn.
      stop(.bucket(error))
    case let error as GatewayError: absorb(error, taskId: taskId)
    case SyncError.gateway(let error): absorb(error, taskId: taskId)
    case let error as CustomStringConvertible:
      fail(taskId, context.map { "\($0): \(error.description)" } ?? error.description)
    default: fail(taskId, context.map { "\($0): \(error)" } ?? String(describing: error))
    }
  }

  private func absorb(_ error: GatewayError, taskId: String?) {
    if case .unauthorized = error {
      stop(.gateway(error))
    } else {
      fail(taskId, error.description)
    }
  }

  func fail(_ taskId: String?, _ reason: String) {
    // Items cut short by cancelling the run are not failures: the next run takes them up.
    guard !Task.isCancelled else { return }
    logger.warning("failed", metadata: ["task": .string(taskId ?? "-"), "reason": .string(reason)])
    state.withLock {
      $0.report.counts.failed += 1
      $0.report.failures.append(SyncReport.Failure(taskId: taskId, reason: reason))
    }
  }

  /// Stops the run: the gateway refused the key, or the archive failed.
  func stop(_ error: SyncError) {
    logger.error("stopped", metadata: ["reason": .string(error.description)])
    state.withLock { if $0.fatal == nil { $0.fatal = error } }
  }

  var fatal: SyncError? { state.withLock { $0.fatal } }
  var report: SyncReport { state.withLock { $0.report } }

  /// Counts finished items and returns the progress.
  func step(_ phase: SyncProgress.Phase, by count: Int = 1, total: Int) -> SyncProgress {
    state.withLock {
      $0.done += count
      return SyncProgress(
        phase: phase, done: $0.done, total: total, bytes: $0.report.counts.bytesDownloaded,
        failed: $0.report.counts.failed)
    }
  }

  func resetSteps() { state.withLock { $0.done = 0 } }
}
