/// Polling a task until it is done.
extension GatewayClient {
  /// Polls a task until it succeeds, fails, or waits for a modal.
  ///
  /// The interval grows by half while nothing changes (up to `maximumInterval`) and drops back when progress moves.
  ///
  /// - Parameters:
  ///   - id: The task.
  ///   - interval: The first wait between polls.
  ///   - maximumInterval: The longest wait between polls.
  ///   - timeout: Give up after this long.
  ///   - onUpdate: Called with each fetched state, for a progress display.
  /// - Returns: The task in SUCCESS or MODAL.
  /// - Throws: `GatewayError.taskFailed` for FAILURE or CANCEL, `.waitTimedOut`, or any fetch error.
  public func waitForTask(
    id: String, interval: Duration = .seconds(1), maximumInterval: Duration = .seconds(10),
    timeout: Duration = .seconds(600), onUpdate: (GatewayTask) -> Void = { _ in }
  ) async throws(GatewayError) -> GatewayTask {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var delay = interval
    var lastProgress: String?
    while true {
      let task = try await fetch(id: id)
      onUpdate(task)
      switch task.status {
      case .success?, .modal?: return task
      case .failure?, .cancel?: throw GatewayError.taskFailed(id: id, reason: task.failReason ?? "")
      default: break
      }
      if task.progress != lastProgress {
        delay = interval
        lastProgress = task.progress
      } else {
        delay = min(delay * 1.5, maximumInterval)
      }
      guard clock.now + delay < deadline else {
        throw GatewayError.waitTimedOut(id: id, seconds: Int(timeout.components.seconds))
      }
      do {
        try await Task.sleep(for: delay)
      } catch {
        throw GatewayError.transport("cancelled")
      }
    }
  }
}
