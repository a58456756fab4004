import ArchiveStore
import Foundation
import GRDB
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Testing

@testable import Sync

/// The key the simulator requires in these tests.
let syncTestKey = "sk-sync-0123456789abcdefghijklmnop"

/// A fresh archive, a client (retries without sleeping) and its transport, against a running simulator.
struct SyncFixture {
  let client: GatewayClient
  let transport: AsyncHTTPClientTransport
  let store: ArchiveStore
  let gateway: SimulatorGateway

  /// What a run left behind, for tests that look at one sync from outside.
  struct Outcome {
    var originals: Int
    var imageRequests: Int
  }

  /// Options for tests: no rate cap, so runs are not slowed down.
  static var fast: SyncOptions {
    var options = SyncOptions()
    options.requestsPerSecond = 0
    return options
  }

  func sync(_ options: SyncOptions = SyncFixture.fast) async throws -> SyncReport {
    try await SyncEngine(client: client, transport: transport, store: store, options: options).run()
  }

  func rows(_ sql: String) throws -> [Row] {
    let queue = try DatabaseQueue(path: store.databaseURL.path)
    defer { try? queue.close() }
    return try queue.read { try Row.fetchAll($0, sql: sql) }
  }

  /// Makes `count` finished imagines (and an upscale of the first) and tracks them.
  func makeTasks(_ count: Int) async throws -> [String] {
    var ids: [String] = []
    for index in 1...count { ids.append(try await client.imagine(prompt: "fox \(index)").taskId) }
    let first = try await client.fetch(id: ids[0])
    let button = try #require(first.buttons.first { $0.label == "U2" })
    ids.append(try await client.action(taskId: ids[0], customId: button.customId).taskId)
    try store.track(ids)
    return ids
  }

  /// The bytes the simulator serves for a task's image now.
  func servedImage(_ id: String) async throws -> Data {
    let task = try await client.fetch(id: id)
    let link = try #require(task.imageUrl)
    let url = try #require(URL(string: link))
    return try await transport.perform(TransportRequest(method: "GET", url: url, maximumBodyBytes: 64 << 20)).body
  }
}

/// Runs `body` with a `SyncFixture`, removing the archive and stopping the simulator afterwards.
func withSyncFixture(
  _ configuration: SimulatorConfiguration = SimulatorConfiguration(
    apiKey: syncTestKey, taskSeconds: 0, imageSize: .small),
  _ body: (SyncFixture) async throws -> Void
) async throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "mjarchive-syncengine-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let store = try ArchiveStore(directory: folder)
  try await SimulatorServer.withRunning(configuration) { server in
    let transport = AsyncHTTPClientTransport()
    let client = GatewayClient(
      configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: syncTestKey, mode: .fast),
      transport: transport, retryPolicy: RetryPolicy(maximumAttempts: 5, sleep: { _ in }))
    do {
      try await body(SyncFixture(client: client, transport: transport, store: store, gateway: server.gateway))
    } catch {
      await transport.shutdown()
      throw error
    }
    await transport.shutdown()
  }
}
