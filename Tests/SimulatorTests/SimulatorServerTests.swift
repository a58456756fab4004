import Foundation
import GatewayHTTP
import MidjourneyAPI
import Testing

@testable import Simulator

/// The simulator over real HTTP: wire-level faults arrive as a real client sees them.
@Suite struct SimulatorServerTests {
  @Test func aTruncatedImageDownloadIsSeenAsAClosedConnection() async throws {
    try await SimulatorServer.withRunning(SimulatorConfiguration(taskSeconds: 0, imageSize: .small)) { server in
      let transport = AsyncHTTPClientTransport()
      let client = GatewayClient(
        configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: nil), transport: transport)
      let task = try await client.fetch(id: try await client.imagine(prompt: "cat").taskId)
      let link = try #require(task.imageUrl)
      let url = try #require(URL(string: link))
      let whole = try await transport.perform(TransportRequest(method: "GET", url: url))
      #expect(whole.status == 200)
      #expect(whole.header("content-type") == "image/png")
      server.gateway.inject(.truncatedBody, on: .image)
      await #expect(throws: TransportError.connectionClosed) {
        try await transport.perform(TransportRequest(method: "GET", url: url))
      }
      let again = try await transport.perform(TransportRequest(method: "GET", url: url))
      #expect(again.body == whole.body)
      await transport.shutdown()
    }
  }

  @Test func stoppingClosesThePort() async throws {
    let server = try await SimulatorServer.start(gateway: SimulatorGateway())
    let transport = AsyncHTTPClientTransport()
    let url = try #require(URL(string: server.baseURL + "/mj/task/list"))
    #expect(try await transport.perform(TransportRequest(method: "GET", url: url)).status == 200)
    await server.stop()
    await #expect(throws: TransportError.self) {
      try await transport.perform(TransportRequest(method: "GET", url: url))
    }
    await transport.shutdown()
  }
}
