import ArchiveStore
import Basics
import Foundation
import GatewayHTTP
import Listen
import MidjourneyAPI
import Simulator
import Sync
import Testing

/// A running `Listener` on a free loopback port, with a fresh archive and the simulator it syncs from.
struct ListenFixture {
  let client: GatewayClient
  let transport: AsyncHTTPClientTransport
  let store: ArchiveStore
  let gateway: SimulatorGateway
  let token: HookToken
  let port: Int

  /// The address the gateway is given.
  var hookURL: String { "http://127.0.0.1:\(port)\(token.path)" }

  /// Submits an imagine whose callbacks go to the listener (or nowhere, with `hook: false`) and records it.
  func imagine(_ prompt: String, hook: Bool = true) async throws -> String {
    let request = SubmitRequest.imagine(prompt: prompt)
    let result = try await client.submit(hook ? request.with(notifyHook: hookURL) : request)
    try store.track([result.taskId])
    return result.taskId
  }

  /// POSTs `body` to `path` of the listener; returns the status and the body of the answer.
  func post(
    _ body: Data, path: String? = nil, contentType: String = "application/json", method: String = "POST"
  ) async throws -> TransportResponse {
    let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path ?? token.path)"))
    return try await transport.perform(
      TransportRequest(method: method, url: url, headers: [("Content-Type", contentType)], body: body))
  }

  /// Waits until every task in `ids` is stored finished with its original (and, for grids, quadrants) recorded.
  func waitUntilArchived(_ ids: [String], within seconds: Double) async throws -> Set<String> {
    let deadline = ContinuousClock.now + .seconds(seconds)
    var done = Set<String>()
    while ContinuousClock.now < deadline {
      done = Set(ids.filter(isArchived))
      if done.count == ids.count { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    return done
  }

  /// True when the task is stored finished with every image it needs recorded.
  func isArchived(_ id: String) -> Bool {
    (try? store.imageWork(taskId: id).isEmpty) == true && (try? store.tasksToFetch(among: [id]).isEmpty) == true
  }
}

/// Runs `body` with a listener and a simulator, stopping both and removing the archive afterwards.
func withListener(
  _ simulator: SimulatorConfiguration = SimulatorConfiguration(taskSeconds: 1, imageSize: .small),
  configure: (inout ListenConfiguration) -> Void = { _ in },
  _ body: (ListenFixture) async throws -> Void
) async throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-listen-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let store = try ArchiveStore(directory: folder)
  try await SimulatorServer.withRunning(simulator) { server in
    let transport = AsyncHTTPClientTransport()
    let client = GatewayClient(
      configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: nil, mode: .fast),
      transport: transport, retryPolicy: RetryPolicy(maximumAttempts: 5, sleep: { _ in }))
    var options = SyncOptions()
    options.requestsPerSecond = 0
    var configuration = ListenConfiguration()
    configuration.port = 0
    configuration.quietPeriod = .seconds(1)
    configuration.syncEvery = nil
    configure(&configuration)
    let token = try HookToken.archiveToken(in: folder)
    let listener = Listener(
      engine: SyncEngine(client: client, transport: transport, store: store, options: options), token: token,
      configuration: configuration)
    let port = Locked<Int?>(nil)
    let running = Task {
      try await listener.run { event in
        if case .listening(let bound) = event { port.withLock { $0 = bound } }
      }
    }
    // Generous: under the sanitizers on a loaded machine, starting takes seconds.
    let deadline = ContinuousClock.now + .seconds(120)
    var bound: Int?
    while bound == nil, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(25))
      bound = port.withLock { $0 }
    }
    do {
      let fixture = ListenFixture(
        client: client, transport: transport, store: store, gateway: server.gateway, token: token,
        port: try #require(bound))
      try await body(fixture)
    } catch {
      running.cancel()
      _ = await running.result
      await transport.shutdown()
      throw error
    }
    running.cancel()
    try await running.value
    await transport.shutdown()
  }
}
