import ArchiveStore
import Foundation
import MidjourneyAPI

/// Prints a submit's outcome and, with `--wait`, follows the task to its end.
struct SubmitReporter {
  let client: GatewayClient
  /// Where submitted and finished tasks are recorded; nil for the demo.
  var store: ArchiveStore?
  var wait = false
  var pollInterval: Double = 1
  var waitTimeout = 900
  var json = false

  init(client: GatewayClient) {
    self.client = client
  }

  init(client: GatewayClient, store: ArchiveStore, wait options: WaitOptions, output: OutputOptions) {
    self.client = client
    self.store = store
    self.wait = options.wait
    self.pollInterval = options.pollInterval
    self.waitTimeout = options.waitTimeout
    self.json = output.json
  }

  /// Records and reports `result`, waits if asked, and prints the task or the JSON object for it.
  ///
  /// - Parameters:
  ///   - parent: For an action, the task whose button was pressed and the button's customId.
  func report(_ result: SubmitResult, what: String, parent: (id: String, customId: String)? = nil) async throws(GatewayError) {
    recordSubmission(result, parent: parent)
    var task: GatewayTask?
    if !json {
      Console.out("\(what): task \(result.taskId) (\(Self.describe(result.outcome)))")
    }
    if wait {
      task = try await follow(taskId: result.taskId)
    }
    if json {
      var object = JSONObject()
      object["taskId"] = .string(result.taskId)
      object["outcome"] = .string(Self.describe(result.outcome))
      object["response"] = (try? JSONParser.parse(result.response.raw)) ?? .null
      if let task { object["task"] = task.json }
      Console.out(JSONValue.object(object).serialized())
    } else if let task {
      Self.printSummary(of: task)
      if task.status == .modal {
        Console.out("  next: mjarchive modal \(task.id) --prompt \"…\" (or --mask FILE for Vary (Region))")
      }
    }
  }

  /// Polls the task with a progress bar on a terminal.
  func follow(taskId: String) async throws(GatewayError) -> GatewayTask {
    var bar = ProgressBar(label: "task \(taskId)")
    defer { bar.finish() }
    var last: GatewayTask?
    do {
      let task = try await client.waitForTask(
        id: taskId, interval: .milliseconds(Int(pollInterval * 1000)), timeout: .seconds(waitTimeout)
      ) {
        last = $0
        bar.update($0)
      }
      record { store throws(StoreError) in try store.store(task) }
      return task
    } catch {
      // A failed task is still worth keeping: its failReason is part of the record.
      if let last { record { store throws(StoreError) in try store.store(last) } }
      throw error
    }
  }

  /// Records a submitted task, with the exact parent and button for an action.
  func recordSubmission(_ result: SubmitResult, parent: (id: String, customId: String)? = nil) {
    record { store throws(StoreError) in
      try store.recordSubmission(
        taskId: result.taskId, parentId: parent?.id, customId: parent?.customId, response: result.response.raw)
    }
  }

  /// Writes to the archive; a failure is reported but does not undo what the gateway already did.
  private func record(_ body: (ArchiveStore) throws(StoreError) -> Void) {
    guard let store else { return }
    do {
      try body(store)
    } catch {
      Console.err("mjarchive: warning: \(error.description)")
    }
  }

  static func describe(_ outcome: SubmitResponse.Outcome) -> String {
    switch outcome {
    case .accepted: return "accepted"
    case .queued: return "queued"
    case .waitingForModal: return "waiting for modal"
    case .alreadyExists: return "already exists"
    }
  }

  /// A few lines about a task, safe for a terminal.
  static func printSummary(of task: GatewayTask) {
    Console.out("task \(task.id) \(task.action?.rawValue ?? "?") \(task.status?.rawValue ?? "?") \(task.progress ?? "")")
    if let prompt = task.finalPrompt ?? task.prompt, !prompt.isEmpty {
      Console.out("  prompt:  \(prompt.singleLine(limit: 300))")
    }
    if let parent = task.parentId { Console.out("  parent:  \(parent.singleLine(limit: 64))") }
    if let url = task.imageUrl, !url.isEmpty { Console.out("  image:   \(url.singleLine(limit: 500))") }
    if !task.buttons.isEmpty {
      Console.out("  buttons: " + task.buttons.map { ButtonSelector.shortName($0).singleLine(limit: 40) }.joined(separator: " · "))
    }
  }
}
