import ArchiveStore
import Foundation
import MidjourneyAPI

/// Finds the tasks of submits whose answer was lost, by the correlation `state` they carried.
public struct SubmissionReconciler: Sendable {
  public let client: GatewayClient
  public let store: ArchiveStore
  /// How long a pending submit is looked for before it is reported as not found.
  public var gracePeriod: Duration

  public init(client: GatewayClient, store: ArchiveStore, gracePeriod: Duration = .seconds(24 * 3600)) {
    self.client = client
    self.store = store
    self.gracePeriod = gracePeriod
  }

  /// What one reconciliation found.
  public struct Report: Sendable {
    /// Submits now linked to their task.
    public var found: [(submission: Submission, taskId: String)] = []
    /// Submits not in the gateway's list yet, still within the grace period.
    public var stillPending: [Submission] = []
    /// Submits given up on: not listed after the grace period.
    public var notFound: [Submission] = []
  }

  /// Looks every pending submit up in the gateway's task list and links or reports it.
  ///
  /// - Throws: `SyncError` when the list cannot be read or the archive fails.
  public func reconcile(now: Date = Date()) async throws(SyncError) -> Report {
    var report = Report()
    let pending: [Submission]
    do {
      pending = try store.pendingSubmissions()
    } catch {
      throw SyncError.store(error)
    }
    guard !pending.isEmpty else { return report }
    let listed: [GatewayTask]
    do {
      guard let tasks = try await client.recentTasks() else { throw SyncError.noTaskList }
      listed = tasks
    } catch let error as SyncError {
      throw error
    } catch {
      throw SyncError.gateway(error as? GatewayError ?? .transport(String(describing: error)))
    }
    var byState: [String: [GatewayTask]] = [:]
    for task in listed {
      if let state = task.state, !state.isEmpty { byState[state, default: []].append(task) }
    }
    let nowMilliseconds = Int64(now.timeIntervalSince1970 * 1000)
    let graceMilliseconds = gracePeriod.components.seconds * 1000
    var claimed = Set<String>()
    for submission in pending {
      // A state the user gave may be shared by several tasks: take the earliest made after the submit
      // (with a few minutes for clocks that disagree) that no other submit claimed.
      let candidates = (byState[submission.state] ?? [])
        .filter { !claimed.contains($0.id) && ($0.submitTime ?? Int64.max) >= submission.sentAt - 300_000 }
        .sorted { ($0.submitTime ?? 0) < ($1.submitTime ?? 0) }
      do throws(StoreError) {
        if let task = candidates.first {
          claimed.insert(task.id)
          try store.recordFound(submission, task: task)
          report.found.append((submission, task.id))
        } else if nowMilliseconds - submission.sentAt > graceMilliseconds {
          try store.recordFailure(
            state: submission.state, outcome: .notFound, detail: "not in the gateway's task list after the grace period"
          )
          report.notFound.append(submission)
        } else {
          report.stillPending.append(submission)
        }
      } catch {
        throw SyncError.store(error)
      }
    }
    return report
  }
}
