import Foundation
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Synchronization
import Testing

/// The transport on its own, against the simulator's real HTTP server on 127.0.0.1.
@Suite struct AsyncHTTPClientTransportTests {
  /// Runs `body` with a transport and a running simulator, and shuts the transport down after.
  func withTransport(
    _ body: (AsyncHTTPClientTransport, SimulatorServer) async throws -> Void
  ) async throws {
    try await SimulatorServer.withRunning(SimulatorConfiguration(taskSeconds: 0, imageSize: .small)) { server in
      let transport = AsyncHTTPClientTransport()
      do {
        try await body(transport, server)
      } catch {
        await transport.shutdown()
        throw error
      }
      await transport.shutdown()
    }
  }

  func submit(_ server: SimulatorServer, maximumBodyBytes: Int = 32 << 20) throws -> TransportRequest {
    TransportRequest(
      method: "POST", url: try #require(URL(string: server.baseURL + "/mj/submit/imagine")),
      headers: [("Content-Type", "application/json")], body: Data(#"{"prompt":"red fox"}"#.utf8),
      maximumBodyBytes: maximumBodyBytes)
  }

  @Test func anAnswerComesBackWithItsStatusHeadersAndExactBytes() async throws {
    try await withTransport { transport, server in
      let response = try await transport.perform(try submit(server))
      #expect(response.status == 200)
      #expect(response.header("content-type")?.hasPrefix("application/json") == true)
      let answer = try SubmitResponse(raw: response.body)
      #expect(answer.code == .success)
      #expect(server.gateway.taskIds.contains(try #require(answer.result)))
    }
  }

  @Test func aBodyLargerThanAllowedIsRefused() async throws {
    try await withTransport { transport, server in
      await #expect(throws: TransportError.bodyTooLarge(limit: 10)) {
        try await transport.perform(try submit(server, maximumBodyBytes: 10))
      }
    }
  }

  /// A download names the address a policy checked: the URL's host is never looked up again.
  @Test func aPinnedAddressIsWhereTheRequestGoes() async throws {
    try await withTransport { transport, server in
      let id = try #require(try SubmitResponse(raw: try await transport.perform(try submit(server)).body).result)
      var request = TransportRequest(
        method: "GET", url: try #require(URL(string: "http://gateway.invalid:\(server.port)/mj/task/\(id)/fetch")))
      request.connectTo = "127.0.0.1"
      let received = Mutex(Data())
      let response = try await transport.download(request) { piece in received.withLock { $0.append(contentsOf: piece) }
      }
      #expect(response.status == 200)
      #expect(response.bodyBytes == received.withLock { $0.count })
      #expect(try GatewayTask(raw: received.withLock { $0 }).id == id)
    }
  }

  @Test func aBodyCutShortIsAClosedConnectionNotAnAnswer() async throws {
    try await withTransport { transport, server in
      let id = try #require(try SubmitResponse(raw: try await transport.perform(try submit(server)).body).result)
      server.gateway.inject(.truncatedBody, on: .fetch)
      let request = TransportRequest(
        method: "GET", url: try #require(URL(string: server.baseURL + "/mj/task/\(id)/fetch")))
      await #expect(throws: TransportError.connectionClosed) {
        try await transport.download(request) { _ in }
      }
    }
  }

  @Test func aClosedPortIsARefusedConnection() async throws {
    let port = try await SimulatorServer.withRunning(SimulatorConfiguration()) { $0.port }
    let transport = AsyncHTTPClientTransport()
    let request = TransportRequest(method: "GET", url: try #require(URL(string: "http://127.0.0.1:\(port)/")))
    let error = await #expect(throws: TransportError.self) { try await transport.perform(request) }
    await transport.shutdown()
    #expect(error == .connectionRefused(host: "127.0.0.1"))
  }
}
