import Foundation
import GatewayHTTP
import Simulator
import Synchronization
import Testing

@testable import MidjourneyAPI

/// The client against the simulator over real HTTP on 127.0.0.1: every route and every failure mode.
@Suite struct GatewayClientTests {
  static let key = "sk-test-0123456789abcdefghijklmnop"

  /// Records the waits the client asks for, instead of sleeping through them.
  final class SleepRecorder: Sendable {
    let delays = Mutex<[Duration]>([])
    var policy: RetryPolicy {
      RetryPolicy(maximumAttempts: 4, sleep: { [self] delay in delays.withLock { $0.append(delay) } })
    }
    var recorded: [Duration] { delays.withLock { $0 } }
  }

  func withClient(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(apiKey: key, taskSeconds: 0, imageSize: .small),
    // 30 s: under AddressSanitizer, with the other suites' servers starting beside it, a 2-core machine once left a
    // submit unanswered for 10 s. Tests of the timeout itself pass their own.
    key: String? = key, mode: GatewayMode = .fast, timeout: Duration = .seconds(30),
    recorder: SleepRecorder = SleepRecorder(),
    _ body: (GatewayClient, SimulatorGateway) async throws -> Void
  ) async throws {
    try await SimulatorServer.withRunning(configuration) { server in
      let transport = AsyncHTTPClientTransport()
      let gatewayConfiguration = try GatewayConfiguration(
        baseURL: server.baseURL, apiKey: key, mode: mode, requestTimeout: timeout)
      let client = GatewayClient(
        configuration: gatewayConfiguration, transport: transport, retryPolicy: recorder.policy)
      do {
        try await body(client, server.gateway)
      } catch {
        await transport.shutdown()
        throw error
      }
      await transport.shutdown()
    }
  }

  @Test(arguments: [GatewayMode.fast, .relax, .turbo, .none, .customPrefix("fast")])
  func imagineThenFetchUnderEveryModePrefix(mode: GatewayMode) async throws {
    try await withClient(mode: mode) { client, _ in
      let result = try await client.imagine(prompt: "red fox --ar 16:9")
      #expect(result.outcome == .accepted)
      #expect(result.response.raw.contains(Data(#""result":\#(result.taskId)}"#.utf8)))
      #expect(UInt64(result.taskId)! > 1 << 53)
      let task = try await client.fetch(id: result.taskId)
      #expect(task.id == result.taskId)
      #expect(task.prompt == "red fox --ar 16:9")
      #expect(task.status == .success)
    }
  }

  @Test func everySubmitRouteIsAccepted() async throws {
    let png = "data:image/png;base64," + Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString()
    try await withClient { client, _ in
      let blend = try await client.blend(images: [png, png, png], dimensions: .landscape)
      #expect(try await client.fetch(id: blend.taskId).action == .blend)
      let describe = try await client.describe(image: png)
      let described = try await client.fetch(id: describe.taskId)
      #expect(described.action == .describe)
      #expect(described.finalPrompt?.contains("2️⃣") == true)
      let shorten = try await client.shorten(prompt: "a very long prompt about a cat in a hat")
      #expect(try await client.fetch(id: shorten.taskId).action == .shorten)
      let withImage = try await client.imagine(prompt: "cat", images: [png])
      #expect(withImage.outcome == .accepted)
    }
  }

  @Test func actionMakesAChildAndModalCompletesCustomZoom() async throws {
    try await withClient { client, _ in
      let grid = try await client.fetch(id: try await client.imagine(prompt: "lighthouse").taskId)
      let u2 = try ButtonSelector.resolve("U2", in: grid.buttons)
      let child = try await client.action(taskId: grid.id, customId: u2.customId)
      let upscale = try await client.waitForTask(id: child.taskId, interval: .milliseconds(20))
      #expect(upscale.action == .upscale)
      #expect(upscale.parentId == grid.id)
      #expect(upscale.properties["custom_id"]?.stringValue == u2.customId)
      let zoom = try await client.action(
        taskId: upscale.id, customId: try ButtonSelector.resolve("Custom Zoom", in: upscale.buttons).customId)
      #expect(zoom.outcome == .waitingForModal)
      #expect(try await client.fetch(id: zoom.taskId).status == .modal)
      let continued = try await client.modal(taskId: zoom.taskId, prompt: "lighthouse --zoom 1.5", maskBase64: nil)
      #expect(continued.taskId == zoom.taskId)
      let done = try await client.waitForTask(id: zoom.taskId, interval: .milliseconds(20))
      #expect(done.status == .success)
      #expect(done.action == .zoom)
    }
  }

  @Test func aWrongKeyIsUnauthorizedAndExitsThree() async throws {
    try await withClient(key: "sk-wrong-key-000000000000000000000") { client, _ in
      let error = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "cat") }
      #expect(error == .unauthorized(status: 401))
      #expect(error?.exitCode == 3)
      #expect(error?.description.contains("sk-wrong") == false)
    }
  }

  @Test func refusalsMapToTypedErrors() async throws {
    let configuration = SimulatorConfiguration(apiKey: Self.key, taskSeconds: 60, imageSize: .small, queueCapacity: 2)
    try await withClient(configuration) { client, _ in
      let banned = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "a Banned thing") }
      #expect(banned == .bannedPrompt(word: "banned", description: "May contains sensitive words"))
      #expect(banned?.description.contains("\"banned\"") == true)
      let invalid = await #expect(throws: GatewayError.self) {
        try await client.imagine(prompt: "cat", images: ["not-a-data-url"])
      }
      #expect(invalid == .validation(description: "base64 format error"))
      let missing = await #expect(throws: GatewayError.self) {
        try await client.action(taskId: "1", customId: "MJ::JOB::upsample::1::x")
      }
      #expect(missing == .taskNotFound(id: "1"))
      _ = try await client.imagine(prompt: "one")
      let running = try await client.imagine(prompt: "two")
      let full = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "three") }
      #expect(full == .queueFull(description: "Queue is full, please try again later"))
      #expect(full?.exitCode == 3)
      let notReady = await #expect(throws: GatewayError.self) {
        try await client.action(taskId: running.taskId, customId: "MJ::JOB::upsample::1::x")
      }
      #expect(notReady == .validation(description: "Associated task status error"))
    }
  }

  @Test(arguments: MissingTaskAnswer.allCases)
  func aMissingTaskIsNotFoundHoweverTheGatewaySaysIt(answer: MissingTaskAnswer) async throws {
    try await withClient(SimulatorConfiguration(apiKey: Self.key, imageSize: .small, missingTaskAnswer: answer)) {
      client, _ in
      let error = await #expect(throws: GatewayError.self) { try await client.fetch(id: "999") }
      #expect(error == .taskNotFound(id: "999"))
    }
  }

  @Test func aFailedTaskEndsTheWaitWithItsReason() async throws {
    try await withClient { client, _ in
      let submitted = try await client.imagine(prompt: "this will fail")
      let error = await #expect(throws: GatewayError.self) { try await client.waitForTask(id: submitted.taskId) }
      #expect(error == .taskFailed(id: submitted.taskId, reason: "[Invalid parameter] Invalid value"))
    }
  }

  @Test func readsRetryThroughHTMLErrorPagesAndGiveUpWithAClearMessage() async throws {
    let recorder = SleepRecorder()
    try await withClient(recorder: recorder) { client, gateway in
      let id = try await client.imagine(prompt: "cat").taskId
      gateway.inject(.htmlError(status: 502), on: .fetch)
      gateway.inject(.htmlError(status: 500), on: .fetch)
      #expect(try await client.fetch(id: id).id == id)
      #expect(recorder.recorded.count == 2)
      for _ in 0..<4 { gateway.inject(.htmlError(status: 502), on: .fetch) }
      let error = await #expect(throws: GatewayError.self) { try await client.fetch(id: id) }
      #expect(error == .notJSON(status: 502, looksLike: "an HTML page"))
      #expect(error?.description.contains("HTTP 502 with an HTML page") == true)
    }
  }

  @Test func rateLimitsHonourRetryAfter() async throws {
    let recorder = SleepRecorder()
    try await withClient(recorder: recorder) { client, gateway in
      gateway.inject(.rateLimited(retryAfter: 7), on: .submit)
      let result = try await client.imagine(prompt: "cat")
      #expect(recorder.recorded == [.seconds(7)])
      gateway.inject(.rateLimited(retryAfter: 3), on: .fetch)
      #expect(try await client.fetch(id: result.taskId).id == result.taskId)
      #expect(recorder.recorded == [.seconds(7), .seconds(3)])
      for _ in 0..<4 { gateway.inject(.rateLimited(retryAfter: 1), on: .fetch) }
      let error = await #expect(throws: GatewayError.self) { try await client.fetch(id: result.taskId) }
      #expect(error == .rateLimited)
      #expect(error?.exitCode == 3)
    }
  }

  @Test func aSubmitThatMayHaveArrivedIsNeverRepeated() async throws {
    try await withClient { client, gateway in
      gateway.inject(.htmlError(status: 502), on: .submit)
      let error = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "cat") }
      #expect(error == .notJSON(status: 502, looksLike: "an HTML page"))
      gateway.inject(.truncatedBody, on: .submit)
      let cut = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "dog") }
      #expect(cut == .connectionClosed)
      #expect(gateway.receivedRequests.filter { $0.hasSuffix("/submit/imagine") }.count == 2)
      #expect(gateway.taskIds.count == 1)
    }
  }

  @Test func aSubmitRefusedWith503IsRetried() async throws {
    try await withClient { client, gateway in
      gateway.inject(.htmlError(status: 503), on: .submit)
      let result = try await client.imagine(prompt: "cat")
      #expect(result.outcome == .accepted)
      #expect(gateway.receivedRequests.filter { $0.hasSuffix("/submit/imagine") }.count == 2)
    }
  }

  @Test func truncatedAnswersAreRecognised() async throws {
    try await withClient { client, gateway in
      let id = try await client.imagine(prompt: "cat").taskId
      // One cut answer is retried like any failed read; one on every attempt is reported.
      gateway.inject(.truncatedJSON, on: .fetch)
      #expect(try await client.fetch(id: id).id == id)
      for _ in 0..<4 { gateway.inject(.truncatedJSON, on: .fetch) }
      let broken = await #expect(throws: GatewayError.self) { try await client.fetch(id: id) }
      #expect(broken?.description.contains("JSON is broken") == true)
      gateway.inject(.truncatedBody, on: .fetch)
      #expect(try await client.fetch(id: id).id == id)
      gateway.inject(.emptyBody, on: .submit)
      let empty = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "x") }
      #expect(empty == .notJSON(status: 200, looksLike: "an empty body"))
    }
  }

  @Test func slowAnswersTimeOutAndReadsAreRetried() async throws {
    try await withClient(timeout: .seconds(1)) { client, gateway in
      // The task to read is set up by a submit, which a loaded machine can itself keep past 1 s (a CI run did):
      // a few tries, as only what follows is under test.
      var made: String?
      for _ in 0..<5 where made == nil { made = try? await client.imagine(prompt: "cat").taskId }
      let id = try #require(made)
      gateway.inject(.slow(seconds: 3), on: .fetch)
      #expect(try await client.fetch(id: id).id == id)
      // Far beyond the 1 s timeout: under a sanitizer on a loaded machine the client's timer can run seconds late.
      gateway.inject(.slow(seconds: 15), on: .submit)
      let error = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "dog") }
      #expect(error == .timedOut(seconds: 1))
    }
  }

  @Test func aClosedPortIsConnectionRefused() async throws {
    let port = try await SimulatorServer.withRunning(SimulatorConfiguration()) { $0.port }
    let recorder = SleepRecorder()
    let transport = AsyncHTTPClientTransport()
    let client = GatewayClient(
      configuration: try GatewayConfiguration(baseURL: "http://127.0.0.1:\(port)", apiKey: Self.key),
      transport: transport, retryPolicy: recorder.policy)
    let error = await #expect(throws: GatewayError.self) { try await client.imagine(prompt: "cat") }
    await transport.shutdown()
    #expect(error == .connectionRefused(host: "127.0.0.1"))
    #expect(recorder.recorded.count == 3)
  }

  @Test func listsFallBackToFetchWhereTheGatewayLacksThem() async throws {
    let bare = SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0, imageSize: .small, offersListRoutes: false)
    for configuration in [SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0, imageSize: .small), bare] {
      try await withClient(configuration) { client, gateway in
        let first = try await client.imagine(prompt: "one").taskId
        let second = try await client.imagine(prompt: "two").taskId
        let tasks = try await client.tasks(ids: [second, "424242", first])
        #expect(tasks.map(\.id) == [second, first])
        #expect(try GatewayTask(raw: tasks[0].raw) == tasks[0])
        let recent = try await client.recentTasks()
        if configuration.offersListRoutes {
          #expect(recent?.map(\.id) == [second, first])
        } else {
          #expect(recent == nil)
          _ = try await client.tasks(ids: [first])
          #expect(gateway.receivedRequests.filter { $0.contains("list-by-condition") }.count == 1)
        }
      }
    }
  }

  /// Regression: a task nobody asked for, in a list or a fetch answer, was stored over the archived one.
  @Test func onlyTheTasksAskedForAreBelieved() async throws {
    try await withClient { client, gateway in
      let asked = try await client.imagine(prompt: "asked").taskId
      let foreign = #"{"id":"1000000000000001","action":"IMAGINE","status":"FAILURE","prompt":"planted"}"#
      gateway.inject(.replacedBody(Data("[\(foreign)]".utf8)), on: .list)
      var reported: [UnreadableTask] = []
      #expect(try await client.tasks(ids: [asked]) { reported.append($0) }.isEmpty)
      #expect(
        reported == [
          UnreadableTask(
            id: "1000000000000001", reason: "the gateway answered with this task, which was not asked for; not stored")
        ])
      for _ in 0..<4 { gateway.inject(.replacedBody(Data(foreign.utf8)), on: .fetch) }
      await #expect(
        throws: GatewayError.malformedResponse(
          "asked for task \(asked), the gateway answered with task 1000000000000001; it was not stored")
      ) { try await client.fetch(id: asked) }
    }
  }

  /// Regression: 650,000 entries answered to a request for one id were all parsed and stored.
  @Test func entriesBeyondTheNumberAskedForAreNotRead() async throws {
    try await withClient { client, gateway in
      let asked = try await client.imagine(prompt: "asked").taskId
      let raw = String(decoding: try await client.fetch(id: asked).raw, as: UTF8.self)
      // What follows the first entry is not even JSON: it is never read.
      gateway.inject(.replacedBody(Data("[\(raw), \(raw), {\"id\": oops".utf8)), on: .list)
      var reported: [UnreadableTask] = []
      let tasks = try await client.tasks(ids: [asked]) { reported.append($0) }
      #expect(tasks.map(\.id) == [asked])
      #expect(
        reported == [
          UnreadableTask(
            id: nil, reason: "the gateway answered more entries than the 1 tasks asked for; the rest was not read")
        ])
    }
  }

  /// Regression: a task with its `id` twice was stored with the `id` column and `raw_json`'s `$.id` disagreeing.
  @Test func aTaskWithAKeyGivenTwiceIsRefused() async throws {
    try await withClient { client, gateway in
      let asked = try await client.imagine(prompt: "asked").taskId
      let twice = #"{"id":"\#(asked)","status":"SUCCESS","id":"1000000000000001"}"#
      gateway.inject(.replacedBody(Data("[\(twice)]".utf8)), on: .list)
      var reported: [UnreadableTask] = []
      #expect(try await client.tasks(ids: [asked]) { reported.append($0) }.isEmpty)
      #expect(
        reported.map(\.reason) == [
          #"the gateway's answer could not be read: a task holds the key "id" twice, which programs read differently"#
        ])
    }
  }

  /// Regression: `--timeout` bounded only the time between two pieces, so a server sending a byte now and then
  /// held a read (and sync's lock) for minutes.
  @Test func aTrickledAnswerEndsAtTheTimeoutWhateverItsPace() async throws {
    try await withClient(timeout: .seconds(1)) { client, gateway in
      // The answer ("404 page not found") a byte every 3 s would take close to a minute; each of the 4 attempts
      // ends after a second (and whatever time a busy machine kept this process from running).
      for _ in 0..<4 { gateway.inject(.trickle(bytes: 1, interval: 3), on: .fetch) }
      await #expect(throws: GatewayError.timedOut(seconds: 1)) { try await client.fetch(id: "14001934816977278") }
    }
  }

  /// Regression: an API POST answered with a redirect was followed to any port of this machine (the key stripped).
  @Test func aRedirectOutsideTheGatewaysOriginIsNeverFollowed() async throws {
    try await SimulatorServer.withRunning(SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0)) { other in
      try await withClient { client, gateway in
        let elsewhere = other.baseURL + "/mj/submit/imagine?token=secret"
        gateway.inject(.redirect(location: elsewhere), on: .submit)
        do {
          _ = try await client.imagine(prompt: "fox")
          Issue.record("the submit went through a redirect")
        } catch {
          let text = String(describing: error)
          #expect(text.contains("which is not followed"), "\(text)")
          #expect(!text.contains("secret"))
        }
        #expect(other.gateway.receivedRequests.isEmpty)
        // Within the gateway's own origin a read follows it.
        let id = try await client.imagine(prompt: "owl").taskId
        gateway.inject(.redirect(location: "/mj/task/\(id)/fetch"), on: .fetch)
        #expect(try await client.fetch(id: id).id == id)
      }
    }
  }
}
