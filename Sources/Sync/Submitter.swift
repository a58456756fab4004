import ArchiveStore
import MidjourneyAPI

/// Sends submits so that no paid task is ever lost without a trace.
///
/// Each submit is recorded in the archive before it is sent, with a correlation `state` (the
/// user's, or a fresh one), and its outcome is marked when known. When the answer is lost after
/// the request may have reached the gateway, the record stays pending and
/// `SubmissionReconciler` later finds the task by that `state` in the gateway's task list.
public struct Submitter: Sendable {
  public let client: GatewayClient
  public let store: ArchiveStore

  public init(client: GatewayClient, store: ArchiveStore) {
    self.client = client
    self.store = store
  }

  /// What a submit gave.
  public struct Sent: Sendable {
    public var result: SubmitResult
    /// The correlation value sent (nil for modal, whose route takes none).
    public var state: String?
    /// Set when the task was made but the archive could not record the answer (the task id is still known).
    public var archiveWarning: StoreError?
  }

  /// Records, sends, and marks the outcome of one submit.
  ///
  /// - Parameter parent: For an action, the task whose button is pressed and the button's customId.
  /// - Throws: `GatewayError`: `.submitOutcomeUnknown` (naming the `state`) when a task may exist
  ///   although no answer said so; `.invalidConfiguration` when the archive cannot record the
  ///   submit, in which case nothing is sent.
  public func submit(_ request: SubmitRequest, parent: (id: String, customId: String)? = nil) async throws(GatewayError)
    -> Sent
  {
    guard request.endpoint != .modal else {
      // A modal completes a task the archive knows already: a lost answer loses nothing.
      let result = try await client.submit(request)
      return Sent(result: result, state: nil, archiveWarning: nil)
    }
    let state = request.state ?? SubmitRequest.newState()
    let request = request.with(state: state)
    do {
      try store.recordSending(request, parent: parent)
    } catch {
      throw GatewayError.invalidConfiguration(
        "nothing was submitted, because the archive cannot record it: \(error.description)")
    }
    let result: SubmitResult
    do {
      result = try await client.submit(request)
    } catch {
      if error.mayHaveReachedGateway {
        try? store.recordFailure(state: state, outcome: .unknown, detail: error.cause)
        throw GatewayError.submitOutcomeUnknown(route: request.route, state: state, cause: error.cause)
      }
      let outcome: Submission.Outcome
      switch error {
      case .connectionRefused, .proxyRefused, .invalidConfiguration, .invalidTaskID, .invalidImage: outcome = .notSent
      default: outcome = .refused
      }
      try? store.recordFailure(state: state, outcome: outcome, detail: error.description)
      throw error
    }
    do {
      try store.recordAccepted(state: state, result: result)
      return Sent(result: result, state: state, archiveWarning: nil)
    } catch {
      return Sent(result: result, state: state, archiveWarning: error)
    }
  }

  /// Polls a submitted task until it succeeds, fails or waits for a modal, storing its final state;
  /// when waiting fails, the last state seen is stored (a failed task's reason is worth keeping).
  ///
  /// - Returns: The task, and a warning when the archive could not store it.
  /// - Throws: `GatewayError` from polling (reads are retried by the client).
  public func follow(
    taskId: String, interval: Duration, timeout: Duration, onUpdate: (GatewayTask) -> Void = { _ in }
  ) async throws(GatewayError) -> (task: GatewayTask, archiveWarning: StoreError?) {
    var last: GatewayTask?
    do {
      let task = try await client.waitForTask(id: taskId, interval: interval, timeout: timeout) {
        last = $0
        onUpdate($0)
      }
      do {
        try store.store(task)
        return (task, nil)
      } catch {
        return (task, error)
      }
    } catch {
      if let last { _ = try? store.store(last) }
      throw error
    }
  }
}
