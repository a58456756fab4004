import ArchiveStore
import Basics
import Foundation
import MidjourneyAPI
import Sync

/// Sends a submit through `Submitter` (recorded before it is sent), prints its outcome and, with
/// `--wait`, follows the task to its end.
struct SubmitReporter {
  let submitter: Submitter
  var wait = false
  var pollInterval: Double = 1
  var waitTimeout = 900
  var json = false
  /// The callback URL every submit carries (`--notify-hook`, or the archive's `listen`), or nil.
  var notifyHook: String?

  var client: GatewayClient { submitter.client }
  var store: ArchiveStore { submitter.store }

  init(client: GatewayClient, store: ArchiveStore) {
    self.submitter = Submitter(client: client, store: store)
  }

  init(client: GatewayClient, store: ArchiveStore, wait options: WaitOptions, output: OutputOptions) {
    self.init(client: client, store: store)
    self.wait = options.wait
    self.pollInterval = options.pollInterval
    self.waitTimeout = options.waitTimeout
    self.json = output.json
  }

  /// Records and sends `request`, then reports it (see `report`).
  ///
  /// - Parameters:
  ///   - what: How to name the submit in messages, e.g. "imagine".
  ///   - parent: For an action, the task whose button is pressed and the button's customId.
  func submit(_ request: SubmitRequest, what: String, parent: (id: String, customId: String)? = nil)
    async throws(GatewayError)
  {
    try await report(try await send(request, parent: parent), what: what)
  }

  /// Records and sends `request`, warning when the archive could not record the answer.
  func send(_ request: SubmitRequest, parent: (id: String, customId: String)? = nil) async throws(GatewayError)
    -> SubmitResult
  {
    let sent = try await submitter.submit(notifyHook.map { request.with(notifyHook: $0) } ?? request, parent: parent)
    if let warning = sent.archiveWarning {
      Console.err(
        "mjarchive: warning: task \(sent.result.taskId) was made, but the archive could not record it: \(warning.description)"
      )
    }
    return sent.result
  }

  /// Prints the submit's outcome, waits if asked, and prints the task or the JSON object for it.
  ///
  /// Every failure after the submit names the task id; with `--json` the object is printed even then, with an `error`.
  func report(_ result: SubmitResult, what: String) async throws(GatewayError) {
    if !json {
      Console.out("\(what): task \(result.taskId) (\(result.outcome))")
    }
    var task: GatewayTask?
    var failure: GatewayError?
    if wait {
      do {
        task = try await follow(taskId: result.taskId)
      } catch {
        failure = Self.namingTask(result.taskId, error)
      }
    }
    if json {
      Console.out(result.json(task: task, error: failure?.description).serialized())
    } else if let task {
      Self.printSummary(of: task)
      if task.status == .modal {
        Console.out("  next: mjarchive modal \(task.id) --prompt \"…\" (or --mask FILE for Vary (Region))")
      }
    }
    if let failure { throw failure }
  }

  /// An error met while following a submitted task, made to name that task.
  static func namingTask(_ taskId: String, _ error: GatewayError) -> GatewayError {
    switch error {
    case .taskFailed, .waitTimedOut, .taskNotFound: return error
    default: return .followingFailed(id: taskId, cause: error.cause, exitCode: error.exitCode)
    }
  }

  /// Polls the task with a progress bar on a terminal; `Submitter` stores its final (or last seen) state.
  func follow(taskId: String) async throws(GatewayError) -> GatewayTask {
    var bar = ProgressBar(label: "task \(taskId)")
    defer { bar.finish() }
    let (task, warning) = try await submitter.follow(
      taskId: taskId, interval: .milliseconds(Int(pollInterval * 1000)), timeout: .seconds(waitTimeout)
    ) { bar.update($0) }
    if let warning { Console.err("mjarchive: warning: task \(task.id): \(warning.description)") }
    return task
  }

  /// A few lines about a task, safe for a terminal.
  static func printSummary(of task: GatewayTask) {
    Console.out(
      "task \(task.id) \(task.action?.rawValue ?? "?") \(task.status?.rawValue ?? "?") \(task.progress ?? "")")
    if let prompt = task.finalPrompt ?? task.prompt, !prompt.isEmpty {
      Console.out("  prompt:  \(prompt.singleLine(limit: 300))")
    }
    if let parent = task.parentId { Console.out("  parent:  \(parent.singleLine(limit: 64))") }
    if let url = task.imageUrl, !url.isEmpty { Console.out("  image:   \(url.singleLine(limit: 500))") }
    if !task.buttons.isEmpty {
      Console.out(
        "  buttons: " + task.buttons.map { ButtonSelector.shortName($0).singleLine(limit: 40) }.joined(separator: " · ")
      )
    }
  }
}
