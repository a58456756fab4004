import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

extension SimulatorGateway {
  // MARK: - Submit

  func submit(kind: String, body: Data) -> SimulatorResponse {
    guard let object = (try? JSONParser.parse(body))?.objectValue else {
      return submitAnswer(code: .validationError, "request body is not a JSON object")
    }
    let userState = object["state"]?.stringValue ?? ""
    let hook = object["notifyHook"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    switch kind {
    case "imagine":
      let prompt = object["prompt"]?.stringValue ?? ""
      let images = object["base64Array"]?.arrayValue ?? []
      guard !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
        return submitAnswer(code: .validationError, "prompt must not be empty")
      }
      guard images.allSatisfy({ Self.isDataURL($0.stringValue) }) else {
        return submitAnswer(code: .validationError, "base64 format error")
      }
      return create(action: .imagine, prompt: prompt, result: .grid, state: userState, hook: hook)
    case "blend":
      let images = object["base64Array"]?.arrayValue ?? []
      guard (2...5).contains(images.count) else {
        return submitAnswer(code: .validationError, "base64Array must hold 2 to 5 images")
      }
      guard images.allSatisfy({ Self.isDataURL($0.stringValue) }) else {
        return submitAnswer(code: .validationError, "base64 format error")
      }
      let dimensions = object["dimensions"]?.stringValue ?? "SQUARE"
      guard ["PORTRAIT", "SQUARE", "LANDSCAPE"].contains(dimensions) else {
        return submitAnswer(code: .validationError, "dimensions must be PORTRAIT, SQUARE or LANDSCAPE")
      }
      return create(
        action: .blend, prompt: "/blend \(images.count) images \(dimensions.lowercased())", result: .grid,
        state: userState, hook: hook)
    case "describe":
      guard Self.isDataURL(object["base64"]?.stringValue) else {
        return submitAnswer(code: .validationError, "base64 format error")
      }
      return create(action: .describe, prompt: "/describe", result: .describe, state: userState, hook: hook)
    case "shorten":
      let prompt = object["prompt"]?.stringValue ?? ""
      guard !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
        return submitAnswer(code: .validationError, "prompt must not be empty")
      }
      return create(action: .shorten, prompt: prompt, result: .shorten, state: userState, hook: hook)
    case "action":
      return action(
        customId: object["customId"]?.stringValue ?? "", taskId: object["taskId"]?.textValue ?? "", state: userState,
        hook: hook)
    case "modal":
      return modal(
        taskId: object["taskId"]?.textValue ?? "", prompt: object["prompt"]?.stringValue,
        mask: object["maskBase64"]?.stringValue)
    default:
      return .text(status: 404, "404 page not found")
    }
  }

  static func isDataURL(_ text: String?) -> Bool {
    guard let text, text.hasPrefix("data:image/"), let comma = text.firstIndex(of: ",") else { return false }
    return text[..<comma].hasSuffix(";base64") && Data(base64Encoded: String(text[text.index(after: comma)...])) != nil
  }

  func submitAnswer(
    code: SubmitCode, _ description: String, properties: JSONObject = JSONObject(), result: String? = nil,
    numeric: Bool = false
  ) -> SimulatorResponse {
    var object = JSONObject()
    object["code"] = .integer(code.rawValue)
    object["description"] = .string(description)
    object["properties"] = .object(properties)
    object["result"] = result.map { numeric ? JSONValue.number($0) : .string($0) } ?? .null
    return .json(.object(object))
  }

  func create(
    action: TaskAction, prompt: String, result: SimulatedTask.Result, state userState: String,
    parent: SimulatedTask? = nil, effect: SimulatedButtons.Effect? = nil, customId: String? = nil, hook: String? = nil
  ) -> SimulatorResponse {
    if parent == nil, let word = bannedWord(in: prompt) {
      var properties = JSONObject()
      properties["promptEn"] = .string(prompt)
      properties["bannedWord"] = .string(word)
      return submitAnswer(code: .bannedPrompt, "May contains sensitive words", properties: properties)
    }
    let now = clock.now
    let outcome = state.withLock { state -> (code: SubmitCode, id: String, ahead: Int)? in
      let active = state.tasks.values.filter { !$0.status(at: now).status.isFinal }.count
      guard active < configuration.queueCapacity else { return nil }
      var task = state.makeTask(
        action: action, prompt: prompt, state: userState, result: result, createdAt: now,
        duration: configuration.taskSeconds,
        failReason: Self.containsWord("fail", in: prompt) ? "[Invalid parameter] Invalid value" : nil,
        lineage: Self.lineageOverride(userState) ?? configuration.lineageStyle)
      let id = task.id
      task.notifyHook = hook ?? configuration.notifyHook
      if let pictures = configuration.distinctImages, pictures > 0 {
        task.imageSeed = "picture-\(state.sequence % pictures)"
        task.imageJob = task.imageSeed
      }
      if let parent, let effect, let customId {
        task.parent = (parent.id, parent.messageId, customId, effect.index)
        task.failReason = nil
        task.imageTheme = parent.imageTheme
        if case .single(let quadrant) = result, quadrant == 0 {
          task.result = parent.result
          (task.imageSeed, task.variationOf) = (parent.imageSeed, parent.variationOf)
        } else if case .single = result {
          (task.imageSeed, task.variationOf) = (parent.imageSeed, parent.variationOf)
        } else if effect.action != .reroll {
          // Made from one picture of the parent: its upscale's quadrant, or the grid's quadrant pressed.
          let quadrant: Int
          if case .single(let upscaled) = parent.result { quadrant = upscaled } else { quadrant = effect.index }
          task.variationOf = SimulatedImageRenderer.sceneKey(
            seed: parent.imageSeed, variationOf: parent.variationOf, quadrant: max(1, quadrant))
        }
        if effect.needsModal { task.startedAt = nil }
        if let choice = effect.promptChoice {
          task.prompt =
            parent.describePrompts.indices.contains(choice - 1) ? parent.describePrompts[choice - 1] : parent.prompt
        }
      }
      if task.result == .describe { task.describePrompts = Self.describePrompts(seed: id) }
      if task.result == .shorten { task.describePrompts = Self.shortenedPrompts(prompt) }
      state.register(task)
      return (
        active >= configuration.concurrencyLimit ? SubmitCode.inQueue : .success, id,
        max(0, active - configuration.concurrencyLimit + 1)
      )
    }
    guard let outcome else { return submitAnswer(code: .queueRejected, "Queue is full, please try again later") }
    if effect?.needsModal == true {
      var properties = JSONObject()
      properties["finalPrompt"] = .string(prompt)
      properties["remix"] = .bool(true)
      return submitAnswer(code: .existed, "Waiting for window confirm", properties: properties, result: outcome.id)
    }
    if outcome.code == .inQueue {
      var properties = JSONObject()
      properties["numberOfQueues"] = .integer(outcome.ahead)
      properties["discordInstanceId"] = .string(Self.channelId)
      return submitAnswer(
        code: .inQueue, "In queue, there are \(outcome.ahead) tasks ahead", properties: properties, result: outcome.id)
    }
    return submitAnswer(code: .success, "Submit success", result: outcome.id, numeric: configuration.numericResult)
  }

  func action(customId: String, taskId: String, state userState: String, hook: String?) -> SimulatorResponse {
    guard let parent = state.withLock({ $0.tasks[taskId] }) else {
      return submitAnswer(code: .notFound, "Associated task does not exist or has expired")
    }
    guard parent.status(at: clock.now).status == .success else {
      return submitAnswer(code: .validationError, "Associated task status error")
    }
    guard buttons(of: parent).contains(where: { $0.customId == customId }),
      let effect = SimulatedButtons.effect(of: customId)
    else {
      return submitAnswer(code: .validationError, "customId is not a button of this task")
    }
    if effect.action == .describe {
      return create(
        action: .describe, prompt: parent.prompt, result: .describe, state: userState, parent: parent, effect: effect,
        customId: customId, hook: hook)
    }
    return create(
      action: effect.action, prompt: parent.prompt, result: effect.result, state: userState, parent: parent,
      effect: effect, customId: customId, hook: hook)
  }

  func modal(taskId: String, prompt: String?, mask: String?) -> SimulatorResponse {
    let now = clock.now
    let problem = state.withLock { state -> (code: SubmitCode, description: String)? in
      guard var task = state.tasks[taskId] else { return (.notFound, "Associated task does not exist or has expired") }
      guard task.startedAt == nil else { return (.validationError, "Associated task status error") }
      if task.action == .inpaint, (mask ?? "").isEmpty {
        return (.validationError, "maskBase64 is required for Vary (Region)")
      }
      if let prompt, !prompt.isEmpty { task.prompt = prompt }
      task.startedAt = now
      state.tasks[taskId] = task
      return nil
    }
    if let problem { return submitAnswer(code: problem.code, problem.description) }
    return submitAnswer(code: .success, "Submit success", result: taskId, numeric: configuration.numericResult)
  }
}
