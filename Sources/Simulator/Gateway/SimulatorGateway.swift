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
  let state: Mutex<State>
  let publicBase = Mutex<String>("http://127.0.0.1")
  static let channelId = "1320066655572987907"
  static let modePrefixes: Set<String> = ["mj-fast", "mj-relax", "mj-turbo", "fast", "relax", "turbo"]

  struct State {
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
    /// Tasks with a callback address whose final callback is not sent yet, with the step last sent.
    var hooked: [String: Int] = [:]
    /// The last progress callback of each task, kept to send late (`HookFaultPlan.reorder`).
    var lastProgressCallback: [String: Data] = [:]
    var hookRandom: SeededGenerator
    var hookCounts = HookDeliveryCounts()

    /// A new task with the next id and the Discord-like numbers and hash that go with it.
    mutating func makeTask(
      action: TaskAction, prompt: String, state userState: String, result: SimulatedTask.Result, createdAt: Date,
      duration: TimeInterval, failReason: String?, lineage: LineageStyle
    ) -> SimulatedTask {
      sequence += 1
      let id = String(14_001_934_816_969_359 + UInt64(sequence) * 7_919)
      var generator = SeededGenerator(text: id)
      return SimulatedTask(
        id: id, action: action, prompt: prompt, state: userState, result: result,
        imageSeed: SimulatedImageRenderer.seed(of: prompt) ?? id, imageTheme: SimulatedImageRenderer.theme(of: prompt),
        createdAt: createdAt,
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
      if task.notifyHook != nil { hooked[task.id] = 0 }
    }
  }

  public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
    self.configuration = configuration
    self.state = Mutex(
      State(
        scripted: configuration.faults.scripted, random: SeededGenerator(seed: configuration.faults.seed),
        hookRandom: SeededGenerator(seed: configuration.hookFaults.seed)))
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
    case ("GET", 3) where segments[0] == "task" && segments[2] == "image-seed":
      guard configuration.offersImageSeedRoute else { return .text(status: 404, "404 page not found") }
      return applyingFault(route: .fetch, request: request) { imageSeed(id: segments[1]) }
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
}
