import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

extension SimulatorGateway {
  // MARK: - Read

  func fetch(id: String) -> SimulatorResponse {
    guard let task = state.withLock({ $0.tasks[id] }) else {
      switch configuration.missingTaskAnswer {
      case .notFound: return .text(status: 404, "404 page not found")
      case .emptyBody: return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")])
      case .noContent: return SimulatorResponse(status: 204)
      }
    }
    return .json(taskJSON(task))
  }

  /// `GET /mj/task/{id}/image-seed` as the .NET proxy line answers it: code 1 with the seed of a finished picture
  /// (the prompt's `--seed` where it has one), 404 code 3 for an unknown task, 400 code 4 for one not finished (its
  /// message hash is not known yet).
  func imageSeed(id: String) -> SimulatorResponse {
    let answer = { (code: Int64, description: String, status: Int) in
      SimulatorResponse.json(
        .object(JSONObject(["code": .integer(code), "description": .string(description)])), status: status)
    }
    guard let task = state.withLock({ $0.tasks[id] }) else { return answer(3, "task_not_found", 404) }
    let isPicture: Bool
    switch task.result {
    case .grid, .single: isPicture = true
    case .describe, .shorten: isPicture = false
    }
    guard isPicture, task.status(at: clock.now).status == .success else {
      return answer(4, "message_hash_not_found", 400)
    }
    // Midjourney's seeds are 0…4294967295; a task's own is fixed by its id.
    let seed =
      Self.writtenSeed(in: task.prompt).map(String.init)
      ?? String(task.id.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 })
    return .json(
      .object(JSONObject(["code": .integer(1), "description": .string("success"), "result": .string(seed)])))
  }

  func list(body: Data) -> SimulatorResponse {
    let ids = (try? JSONParser.parse(body))?["ids"]?.arrayValue?.compactMap(\.textValue) ?? []
    let tasks = state.withLock { state in ids.compactMap { state.tasks[$0] } }
    return .json(.array(tasks.map(taskJSON)))
  }

  func recent() -> SimulatorResponse {
    let tasks = state.withLock { state in
      state.order.suffix(configuration.recentListLimit).reversed().compactMap { state.tasks[$0] }
    }
    return .json(.array(tasks.map(taskJSON)))
  }

  func buttons(of task: SimulatedTask) -> [TaskButton] {
    switch task.result {
    case .grid: return SimulatedButtons.grid(hash: task.messageHash)
    case .single: return SimulatedButtons.upscale(hash: task.messageHash)
    case .describe: return SimulatedButtons.describe()
    case .shorten: return SimulatedButtons.shorten()
    }
  }

  /// The task as the gateway writes it at the current simulated time.
  func taskJSON(_ task: SimulatedTask) -> JSONValue {
    let now = clock.now
    let (status, progress) = task.status(at: now)
    let finished = status == .success
    let milliseconds = { (date: Date) in JSONValue.integer(Int64(date.timeIntervalSince1970 * 1000)) }
    var object = JSONObject()
    object["id"] = .string(task.id)
    object["action"] = .string(task.action.rawValue)
    object["prompt"] = .string(task.prompt)
    object["promptEn"] = .string(task.prompt)
    object["description"] = .string(status == .modal ? "Waiting for window confirm" : "Submit success")
    object["state"] = .string(task.state)
    object["submitTime"] = milliseconds(task.createdAt)
    let started = task.startedAt.map { $0.addingTimeInterval(task.duration * 0.15) }
    object["startTime"] = started.map { $0 <= now ? milliseconds($0) : .integer(0) } ?? .integer(0)
    object["finishTime"] =
      status.isFinal ? milliseconds(task.startedAt?.addingTimeInterval(task.duration) ?? now) : .integer(0)
    object["imageUrl"] = .string(imageURL(for: task, status: status, progress: progress, now: now))
    object["status"] = .string(status.rawValue)
    object["progress"] = .string(status == .failure ? "" : "\(progress)%")
    object["failReason"] = .string(status == .failure ? task.failReason ?? "" : "")
    if let parent = task.parent, task.lineage == .parentId {
      object["parentId"] = .string(parent.id)
    }
    var properties = JSONObject()
    properties["botType"] = .string(task.prompt.contains("--niji") ? "NIJI_JOURNEY" : "MID_JOURNEY")
    properties["discordChannelId"] = .number("8774786694361674000")
    properties["discordInstanceId"] = .number("7415633538733103000")
    properties["finalPrompt"] = .string(task.finalPrompt)
    properties["flags"] = .integer(0)
    if finished {
      let words = task.parent.map { SimulatedButtons.messageWords(customId: $0.customId) } ?? " -"
      properties["messageContent"] = .string("**\(task.finalPrompt)**\(words) <@1343445981269594182> (fast)")
      properties["messageHash"] = .string(task.messageHash)
      properties["messageId"] = .string(task.messageId)
    }
    properties["nonce"] = .string(task.nonce)
    properties["notifyHook"] = .string(task.notifyHook ?? "")
    if let parent = task.parent {
      switch task.lineage {
      case .parentId:
        properties["progressMessageId"] = .string(task.progressMessageId)
        properties["custom_id"] = .string(parent.customId)
        properties["action_index"] = .integer(parent.index)
      case .referencedMessage:
        properties["progressMessageId"] = .string(parent.messageId)
        properties["referencedMessageId"] = .string(parent.messageId)
      case .hashOnly:
        properties["custom_id"] = .string(parent.customId)
      }
    } else {
      properties["progressMessageId"] = .string(task.progressMessageId)
    }
    object["properties"] = .object(properties)
    object["buttons"] = .array(finished ? buttons(of: task).map(\.json) : [])
    return .object(object)
  }
}
