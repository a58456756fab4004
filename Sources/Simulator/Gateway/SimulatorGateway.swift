import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

/// The simulated gateway's behaviour: routes, task life cycle, buttons, lineage traces, image links and faults.
///
/// It is transport-free (request in, response out) so `SimulatorServer` can put it behind real HTTP.
public final class SimulatorGateway: Sendable {
  public let configuration: SimulatorConfiguration
  /// The simulator's time; tests move it forward to finish tasks or expire links.
  public let clock = SimulatorClock()
  private let state: Mutex<State>
  private let publicBase = Mutex<String>("http://127.0.0.1")
  private static let channelId = "1320066655572987907"
  private static let modePrefixes: Set<String> = ["mj-fast", "mj-relax", "mj-turbo", "fast", "relax", "turbo"]

  private struct State {
    var tasks: [String: SimulatedTask] = [:]
    var order: [String] = []
    var byMessageId: [String: String] = [:]
    var sequence = 0
    var scripted: [(route: FaultRoute, fault: Fault)]
    var random: SeededGenerator
    var imageCache: [String: Data] = [:]
    var requests: [String] = []
    var inFlight = 0
    var maximumInFlight = 0
    /// Whether the fault plan's random faults are drawn (scripted ones always are).
    var randomFaults = true

    /// A new task with the next id and the Discord-like numbers and hash that go with it.
    mutating func makeTask(
      action: TaskAction, prompt: String, state userState: String, result: SimulatedTask.Result, createdAt: Date,
      duration: TimeInterval, failReason: String?, lineage: LineageStyle
    ) -> SimulatedTask {
      sequence += 1
      let id = String(14_001_934_816_969_359 + UInt64(sequence) * 7_919)
      var generator = SeededGenerator(text: id)
      return SimulatedTask(
        id: id, action: action, prompt: prompt, state: userState, result: result, imageSeed: id, createdAt: createdAt,
        startedAt: createdAt, duration: duration, failReason: failReason, lineage: lineage, parent: nil,
        messageId: String(1_348_306_030_429_470_862 + UInt64(sequence) * 1_000_003),
        progressMessageId: String(1_348_305_922_325_479_495 + UInt64(sequence) * 1_000_003),
        messageHash: generator.uuidString(), nonce: String(1_619_855_216_344_100_864 + UInt64(sequence) * 7))
    }

    /// Adds a task where fetches, lists and image links find it.
    mutating func register(_ task: SimulatedTask) {
      tasks[task.id] = task
      order.append(task.id)
      byMessageId[task.messageId] = task.id
      byMessageId[task.progressMessageId] = task.id
    }
  }

  public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
    self.configuration = configuration
    self.state = Mutex(
      State(scripted: configuration.faults.scripted, random: SeededGenerator(seed: configuration.faults.seed)))
  }

  /// Sets the address clients reach the server at, used in image links.
  public func setPublicBaseURL(_ url: String) {
    publicBase.withLock { $0 = url }
  }

  /// Queues a fault for the next answer on `route`.
  public func inject(_ fault: Fault, on route: FaultRoute = .any) {
    state.withLock { $0.scripted.append((route, fault)) }
  }

  /// Requests seen so far, as `METHOD /path` (query left out).
  public var receivedRequests: [String] {
    state.withLock { $0.requests }
  }

  /// The most requests the server was answering at once.
  public var maximumInFlight: Int {
    state.withLock { $0.maximumInFlight }
  }

  /// Counts a request the server starts answering (until `finishedRequest`).
  public func startedRequest() {
    state.withLock {
      $0.inFlight += 1
      $0.maximumInFlight = max($0.maximumInFlight, $0.inFlight)
    }
  }

  /// Counts a request the server has answered.
  public func finishedRequest() {
    state.withLock { $0.inFlight -= 1 }
  }

  /// Adds `count` finished imagine tasks made an hour ago, for benchmarks and large tests.
  ///
  /// Their grids cycle through `distinctImages` pictures, each rendered once here, so serving a
  /// thousand tasks costs no rendering while every task still has its own id, hash and link.
  ///
  /// - Returns: The new task ids, oldest first.
  @discardableResult
  public func seedFinishedTasks(count: Int, distinctImages: Int = 8) -> [String] {
    let variants = max(1, distinctImages)
    let madeAt = clock.now.addingTimeInterval(-3_600)
    let ids = state.withLock { state -> [String] in
      (0..<count).map { index in
        var task = state.makeTask(
          action: .imagine, prompt: "seeded fox \(index % variants) --ar 1:1", state: "", result: .grid,
          createdAt: madeAt.addingTimeInterval(Double(index) / 1000), duration: 0, failReason: nil,
          lineage: configuration.lineageStyle)
        task.imageSeed = "seeded-\(index % variants)"
        task.imageJob = "seeded-\(index % variants)"
        state.register(task)
        return task.id
      }
    }
    for id in ids.prefix(variants) {
      if let task = state.withLock({ $0.tasks[id] }) { _ = renderedImage(task) }
    }
    return ids
  }

  /// Ids of all tasks, oldest first.
  public var taskIds: [String] {
    state.withLock { $0.order }
  }

  // MARK: - Dispatch

  /// Stops drawing random faults (scripted ones still apply): for checking what the gateway serves after a soak.
  public func stopRandomFaults() {
    state.withLock { $0.randomFaults = false }
  }

  /// The extra delay of one answer: random up to the fault plan's jitter.
  public func latencyJitter() -> Double {
    let jitter = configuration.faults.latencyJitterSeconds
    guard jitter > 0 else { return 0 }
    return state.withLock { Double.random(in: 0..<jitter, using: &$0.random) }
  }

  /// The bytes this gateway's image link serves for a finished task (nil for none), without faults.
  public func servedImage(taskId: String) -> Data? {
    guard let task = state.withLock({ $0.tasks[taskId] }) else { return nil }
    return renderedImage(task)
  }

  /// The `state` of every task made by a submit, in order: a state seen twice is a submit repeated.
  public var submittedStates: [String] {
    state.withLock { state in state.order.compactMap { state.tasks[$0] }.filter { !$0.state.isEmpty }.map(\.state) }
  }

  /// Answers one request.
  public func respond(to request: SimulatorRequest) -> SimulatorResponse {
    let path = request.path
    state.withLock { $0.requests.append("\(request.method) \(path)") }
    if path.hasPrefix("/attachments/") {
      return applyingFault(route: .image, request: request) { image(request) }
    }
    var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    if segments.count > 1, segments[1] == "mj", Self.modePrefixes.contains(segments[0]) {
      segments.removeFirst()
    }
    guard segments.first == "mj" else { return .text(status: 404, "404 page not found") }
    segments.removeFirst()
    if let key = configuration.apiKey {
      let bearer = request.header("Authorization")
      let secret = request.header("mj-api-secret")
      guard bearer == "Bearer " + key || secret == key else {
        return .json(
          .object(JSONObject(["code": .integer(401), "description": "Unauthorized: invalid API key"])), status: 401)
      }
    }
    let route = segments.joined(separator: "/")
    switch (request.method, segments.count) {
    case ("POST", 2) where segments[0] == "submit":
      return applyingFault(route: .submit, request: request) { submit(kind: segments[1], body: request.body) }
    case ("GET", 3) where segments[0] == "task" && segments[2] == "fetch":
      return applyingFault(route: .fetch, request: request) { fetch(id: segments[1]) }
    case ("POST", 2) where route == "task/list-by-condition" || route == "task/list-by-ids":
      guard configuration.offersListRoutes else { return .text(status: 404, "404 page not found") }
      return applyingFault(route: .list, request: request) { list(body: request.body) }
    case ("GET", 2) where route == "task/list":
      guard configuration.offersListRoutes else { return .text(status: 404, "404 page not found") }
      return applyingFault(route: .list, request: request) { recent() }
    default:
      return .text(status: 404, "404 page not found")
    }
  }

  private func applyingFault(
    route: FaultRoute, request: SimulatorRequest, _ answer: () -> SimulatorResponse
  ) -> SimulatorResponse {
    guard let fault = nextFault(for: route) else { return answer() }
    switch fault {
    case .gzipWhenAsked:
      var response = answer()
      let accepted = request.headers.contains {
        $0.name.lowercased() == "accept-encoding" && $0.value.lowercased().contains("gzip")
      }
      guard accepted else { return response }
      var encoded = [UInt8](repeating: 0, count: response.body.count + 1_024)
      let count = response.body.withUnsafeBytes { body in
        cpng_gzip(body.bindMemory(to: UInt8.self).baseAddress, body.count, &encoded, encoded.count)
      }
      response.body = Data(encoded.prefix(count))
      response.headers.append(("Content-Encoding", "gzip"))
      return response
    case .htmlError(let status):
      return .html(
        status: status,
        title: status == 502
          ? "Bad Gateway" : status == 503 ? "Service Temporarily Unavailable" : "Internal Server Error")
    case .rateLimited(let seconds):
      var response = SimulatorResponse.json(
        .object(JSONObject(["code": .integer(429), "description": "Too Many Requests"])), status: 429)
      response.headers.append(("Retry-After", String(seconds)))
      return response
    case .slow(let seconds):
      var response = answer()
      response.delaySeconds = seconds
      return response
    case .truncatedJSON:
      var response = answer()
      response.body = response.body.prefix(response.body.count / 2)
      return response
    case .truncatedBody:
      var response = answer()
      response.truncateOnWire = true
      return response
    case .hostileListEntry:
      var response = answer()
      if case .array(var tasks)? = try? JSONParser.parse(response.body), var first = tasks.first?.objectValue {
        first["id"] = .string("../../etc/passwd")
        tasks[0] = .object(first)
        response.body = Data(JSONValue.array(tasks).serialized().utf8)
      }
      return response
    case .expiredLink:
      return .text(status: 403, "This content is no longer available.")
    case .redirect(let location):
      return SimulatorResponse(status: 302, headers: [("Location", location), ("Content-Length", "0")])
    case .emptyBody:
      _ = answer()
      return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")])
    case .trickle(let bytes, let interval):
      var response = answer()
      response.trickleBytes = bytes
      response.trickleInterval = interval
      return response
    case .replacedBody(let body):
      _ = answer()
      return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
  }

  private func nextFault(for route: FaultRoute) -> Fault? {
    let plan = configuration.faults
    return state.withLock { state -> Fault? in
      if let index = state.scripted.firstIndex(where: { $0.route.matches(route) }) {
        return state.scripted.remove(at: index).fault
      }
      guard state.randomFaults else { return nil }
      if route == .image {
        let roll = Double.random(in: 0..<1, using: &state.random)
        if roll < plan.truncatedImageRate { return .truncatedBody }
        return roll < plan.truncatedImageRate + plan.expiredImageRate ? .expiredLink : nil
      }
      let roll = Double.random(in: 0..<1, using: &state.random)
      var threshold = plan.serverErrorRate
      if roll < threshold { return .htmlError(status: 502) }
      threshold += plan.rateLimitRate
      if roll < threshold { return .rateLimited(retryAfter: plan.retryAfterSeconds) }
      threshold += plan.slowRate
      if roll < threshold { return .slow(seconds: plan.slowSeconds) }
      threshold += plan.truncatedJSONRate
      if roll < threshold { return .truncatedJSON }
      return nil
    }
  }

  // MARK: - Submit

  private func submit(kind: String, body: Data) -> SimulatorResponse {
    guard let object = (try? JSONParser.parse(body))?.objectValue else {
      return submitAnswer(code: 4, "request body is not a JSON object")
    }
    let userState = object["state"]?.stringValue ?? ""
    switch kind {
    case "imagine":
      let prompt = object["prompt"]?.stringValue ?? ""
      let images = object["base64Array"]?.arrayValue ?? []
      guard !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
        return submitAnswer(code: 4, "prompt must not be empty")
      }
      guard images.allSatisfy({ Self.isDataURL($0.stringValue) }) else {
        return submitAnswer(code: 4, "base64 format error")
      }
      return create(action: .imagine, prompt: prompt, result: .grid, state: userState)
    case "blend":
      let images = object["base64Array"]?.arrayValue ?? []
      guard (2...5).contains(images.count) else { return submitAnswer(code: 4, "base64Array must hold 2 to 5 images") }
      guard images.allSatisfy({ Self.isDataURL($0.stringValue) }) else {
        return submitAnswer(code: 4, "base64 format error")
      }
      let dimensions = object["dimensions"]?.stringValue ?? "SQUARE"
      guard ["PORTRAIT", "SQUARE", "LANDSCAPE"].contains(dimensions) else {
        return submitAnswer(code: 4, "dimensions must be PORTRAIT, SQUARE or LANDSCAPE")
      }
      return create(
        action: .blend, prompt: "/blend \(images.count) images \(dimensions.lowercased())", result: .grid,
        state: userState)
    case "describe":
      guard Self.isDataURL(object["base64"]?.stringValue) else { return submitAnswer(code: 4, "base64 format error") }
      return create(action: .describe, prompt: "/describe", result: .describe, state: userState)
    case "shorten":
      let prompt = object["prompt"]?.stringValue ?? ""
      guard !prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
        return submitAnswer(code: 4, "prompt must not be empty")
      }
      return create(action: .shorten, prompt: prompt, result: .shorten, state: userState)
    case "action":
      return action(
        customId: object["customId"]?.stringValue ?? "", taskId: object["taskId"]?.textValue ?? "", state: userState)
    case "modal":
      return modal(
        taskId: object["taskId"]?.textValue ?? "", prompt: object["prompt"]?.stringValue,
        mask: object["maskBase64"]?.stringValue)
    default:
      return .text(status: 404, "404 page not found")
    }
  }

  private static func isDataURL(_ text: String?) -> Bool {
    guard let text, text.hasPrefix("data:image/"), let comma = text.firstIndex(of: ",") else { return false }
    return text[..<comma].hasSuffix(";base64") && Data(base64Encoded: String(text[text.index(after: comma)...])) != nil
  }

  private func submitAnswer(
    code: Int, _ description: String, properties: JSONObject = JSONObject(), result: String? = nil,
    numeric: Bool = false
  ) -> SimulatorResponse {
    var object = JSONObject()
    object["code"] = .integer(code)
    object["description"] = .string(description)
    object["properties"] = .object(properties)
    object["result"] = result.map { numeric ? JSONValue.number($0) : .string($0) } ?? .null
    return .json(.object(object))
  }

  private func create(
    action: TaskAction, prompt: String, result: SimulatedTask.Result, state userState: String,
    parent: SimulatedTask? = nil, effect: SimulatedButtons.Effect? = nil, customId: String? = nil
  ) -> SimulatorResponse {
    if parent == nil, let word = bannedWord(in: prompt) {
      var properties = JSONObject()
      properties["promptEn"] = .string(prompt)
      properties["bannedWord"] = .string(word)
      return submitAnswer(code: 24, "May contains sensitive words", properties: properties)
    }
    let now = clock.now
    let outcome = state.withLock { state -> (code: Int, id: String, ahead: Int)? in
      let active = state.tasks.values.filter { !$0.status(at: now).status.isFinal }.count
      guard active < configuration.queueCapacity else { return nil }
      var task = state.makeTask(
        action: action, prompt: prompt, state: userState, result: result, createdAt: now,
        duration: configuration.taskSeconds,
        failReason: Self.containsWord("fail", in: prompt) ? "[Invalid parameter] Invalid value" : nil,
        lineage: Self.lineageOverride(userState) ?? configuration.lineageStyle)
      let id = task.id
      if let parent, let effect, let customId {
        task.parent = (parent.id, parent.messageId, customId, effect.index)
        task.failReason = nil
        if case .single(let quadrant) = result, quadrant == 0 {
          task.result = parent.result
          task.imageSeed = parent.imageSeed
        } else if case .single = result {
          task.imageSeed = parent.imageSeed
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
        active >= configuration.concurrencyLimit ? 22 : 1, id, max(0, active - configuration.concurrencyLimit + 1)
      )
    }
    guard let outcome else { return submitAnswer(code: 23, "Queue is full, please try again later") }
    if effect?.needsModal == true {
      var properties = JSONObject()
      properties["finalPrompt"] = .string(prompt)
      properties["remix"] = .bool(true)
      return submitAnswer(code: 21, "Waiting for window confirm", properties: properties, result: outcome.id)
    }
    if outcome.code == 22 {
      var properties = JSONObject()
      properties["numberOfQueues"] = .integer(outcome.ahead)
      properties["discordInstanceId"] = .string(Self.channelId)
      return submitAnswer(
        code: 22, "In queue, there are \(outcome.ahead) tasks ahead", properties: properties, result: outcome.id)
    }
    return submitAnswer(code: 1, "Submit success", result: outcome.id, numeric: configuration.numericResult)
  }

  private func action(customId: String, taskId: String, state userState: String) -> SimulatorResponse {
    guard let parent = state.withLock({ $0.tasks[taskId] }) else {
      return submitAnswer(code: 3, "Associated task does not exist or has expired")
    }
    guard parent.status(at: clock.now).status == .success else {
      return submitAnswer(code: 4, "Associated task status error")
    }
    guard buttons(of: parent).contains(where: { $0.customId == customId }),
      let effect = SimulatedButtons.effect(of: customId)
    else {
      return submitAnswer(code: 4, "customId is not a button of this task")
    }
    if effect.action == .describe {
      return create(
        action: .describe, prompt: parent.prompt, result: .describe, state: userState, parent: parent, effect: effect,
        customId: customId)
    }
    return create(
      action: effect.action, prompt: parent.prompt, result: effect.result, state: userState, parent: parent,
      effect: effect,
      customId: customId)
  }

  private func modal(taskId: String, prompt: String?, mask: String?) -> SimulatorResponse {
    let now = clock.now
    let problem = state.withLock { state -> String? in
      guard var task = state.tasks[taskId] else { return "Associated task does not exist or has expired" }
      guard task.startedAt == nil else { return "Associated task status error" }
      if task.action == .inpaint, (mask ?? "").isEmpty { return "maskBase64 is required for Vary (Region)" }
      if let prompt, !prompt.isEmpty { task.prompt = prompt }
      task.startedAt = now
      state.tasks[taskId] = task
      return nil
    }
    if let problem { return submitAnswer(code: problem.hasPrefix("Associated task does not") ? 3 : 4, problem) }
    return submitAnswer(code: 1, "Submit success", result: taskId, numeric: configuration.numericResult)
  }

  // MARK: - Read

  private func fetch(id: String) -> SimulatorResponse {
    guard let task = state.withLock({ $0.tasks[id] }) else {
      switch configuration.missingTaskAnswer {
      case .notFound: return .text(status: 404, "404 page not found")
      case .emptyBody: return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")])
      case .noContent: return SimulatorResponse(status: 204)
      }
    }
    return .json(taskJSON(task))
  }

  private func list(body: Data) -> SimulatorResponse {
    let ids = (try? JSONParser.parse(body))?["ids"]?.arrayValue?.compactMap(\.textValue) ?? []
    let tasks = state.withLock { state in ids.compactMap { state.tasks[$0] } }
    return .json(.array(tasks.map(taskJSON)))
  }

  private func recent() -> SimulatorResponse {
    let tasks = state.withLock { state in
      state.order.suffix(configuration.recentListLimit).reversed().compactMap { state.tasks[$0] }
    }
    return .json(.array(tasks.map(taskJSON)))
  }

  private func buttons(of task: SimulatedTask) -> [TaskButton] {
    switch task.result {
    case .grid: return SimulatedButtons.grid(hash: task.messageHash)
    case .single: return SimulatedButtons.upscale(hash: task.messageHash)
    case .describe: return SimulatedButtons.describe()
    case .shorten: return SimulatedButtons.shorten()
    }
  }

  /// The task as the gateway writes it at the current simulated time.
  private func taskJSON(_ task: SimulatedTask) -> JSONValue {
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
    properties["notifyHook"] = .string("")
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

  // MARK: - Images

  private func imageURL(for task: SimulatedTask, status: TaskStatus, progress: Int, now: Date) -> String {
    let base = publicBase.withLock { $0 }
    let issued = Int(now.timeIntervalSince1970)
    let expires = issued + configuration.linkLifetimeSeconds
    let path: String
    switch (status, task.result) {
    case (_, .shorten): return ""
    case (.success, _): path = "/attachments/\(Self.channelId)/\(task.messageId)/\(task.imageFileName)"
    case (.inProgress, .grid) where progress >= 50:
      path = "/attachments/\(Self.channelId)/\(task.progressMessageId)/\(task.imageFileName.dropLast(4))_grid_0.webp"
    default: return ""
    }
    let ex = String(expires, radix: 16)
    let issuedHex = String(issued, radix: 16)
    return "\(base)\(path)?ex=\(ex)&is=\(issuedHex)&hm=\(Self.signature(path: path, ex: ex, issued: issuedHex))&"
  }

  private static func signature(path: String, ex: String, issued: String) -> String {
    var generator = SeededGenerator(text: "\(path)|\(ex)|\(issued)|simulator-secret")
    return (0..<4).map { _ in
      let hex = String(generator.next(), radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }.joined()
  }

  private func image(_ request: SimulatorRequest) -> SimulatorResponse {
    let query = request.query
    let path = request.path
    guard let ex = query["ex"], let issued = query["is"], let hm = query["hm"],
      hm == Self.signature(path: path, ex: ex, issued: issued), let expiry = Int(ex, radix: 16)
    else {
      return .text(status: 403, "This content is no longer available.")
    }
    guard Double(expiry) >= clock.now.timeIntervalSince1970 else {
      return .text(status: 403, "This content is no longer available.")
    }
    let segments = path.split(separator: "/").map(String.init)
    guard segments.count == 4,
      let task = state.withLock({ state in state.byMessageId[segments[2]].flatMap { state.tasks[$0] } })
    else {
      return .text(status: 404, "Not Found")
    }
    if segments[3].hasSuffix(".webp") {
      var webp = Data("RIFF".utf8)
      webp +=
        Data([26, 0, 0, 0]) + Data("WEBPVP8L".utf8)
        + Data([13, 0, 0, 0, 0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0])
      return SimulatorResponse(status: 200, headers: [("Content-Type", "image/webp")], body: webp)
    }
    guard let png = renderedImage(task) else { return .html(status: 500, title: "Internal Server Error") }
    return SimulatorResponse(status: 200, headers: [("Content-Type", "image/png")], body: png)
  }

  /// The task's picture, rendered once and then served from the cache.
  private func renderedImage(_ task: SimulatedTask) -> Data? {
    let quadrant: Int?
    if case .single(let index) = task.result { quadrant = index } else { quadrant = nil }
    let job = task.imageJob ?? task.messageHash
    let cacheKey = "\(task.imageSeed)|\(quadrant ?? 0)|\(job)"
    if let cached = state.withLock({ $0.imageCache[cacheKey] }) { return cached }
    let prompt = task.imageJob == nil ? task.finalPrompt : "seeded image \(task.imageSeed)"
    let texts = [
      PNGTextChunk(key: "Description", text: "\(prompt) Job ID: \(job)"), PNGTextChunk(key: "Author", text: "sim_user"),
    ]
    guard
      let png = try? SimulatedImageRenderer.render(
        seed: task.imageSeed, size: configuration.imageSize, quadrant: quadrant, texts: texts)
    else { return nil }
    state.withLock { state in
      if state.imageCache.count >= 64 { state.imageCache.removeAll() }
      state.imageCache[cacheKey] = png
    }
    return png
  }

  // MARK: - Text

  private func bannedWord(in prompt: String) -> String? {
    configuration.bannedWords.first { Self.containsWord($0, in: prompt) }
  }

  private static func containsWord(_ word: String, in text: String) -> Bool {
    text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == word.lowercased() }
  }

  private static func lineageOverride(_ state: String) -> LineageStyle? {
    guard state.hasPrefix("lineage:") else { return nil }
    return LineageStyle(rawValue: String(state.dropFirst("lineage:".count)))
  }

  private static func describePrompts(seed: String) -> [String] {
    var generator = SeededGenerator(text: seed)
    let subjects = [
      "a black cat on a windowsill", "a lighthouse in a storm", "a fox in autumn leaves", "a paper boat on a lake",
    ]
    let styles = ["soft realism", "minimalist poster", "cinematic lighting, 35mm photo", "dark academia aesthetic"]
    return (0..<4).map { index in
      let subject = subjects[Int(generator.next() % UInt64(subjects.count))]
      return "\(subject), \(styles[index]) --ar 1:1"
    }
  }

  private static func shortenedPrompts(_ prompt: String) -> [String] {
    let words = prompt.split(separator: " ")
    return (1...5).map { step in
      words.prefix(max(1, words.count * (6 - step) / 5)).joined(separator: " ")
    }
  }
}
