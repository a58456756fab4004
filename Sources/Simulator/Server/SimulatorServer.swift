import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server (SwiftNIO) in front of a `SimulatorGateway`, on 127.0.0.1.
///
/// Plain NIO rather than a web framework: the simulator must misbehave at the wire level
/// (announce a length and send less, stall, close mid-answer), which frameworks hide.
public final class SimulatorServer: Sendable {
  /// The port the server listens on (the one picked when asked for port 0).
  public let port: Int
  public let host: String
  public let gateway: SimulatorGateway
  private let serverChannel: any Channel
  private let acceptLoop: Task<Void, Never>
  private let hookLoop: Task<Void, Never>

  /// Largest request body accepted (base64 images make big bodies).
  private static let maximumRequestBytes = 64 << 20

  private init(
    port: Int, host: String, gateway: SimulatorGateway, serverChannel: any Channel, acceptLoop: Task<Void, Never>,
    hookLoop: Task<Void, Never>
  ) {
    self.port = port
    self.host = host
    self.gateway = gateway
    self.serverChannel = serverChannel
    self.acceptLoop = acceptLoop
    self.hookLoop = hookLoop
  }

  /// The base URL clients use, like `http://127.0.0.1:41234`.
  public var baseURL: String { "http://\(host):\(port)" }

  /// Binds and starts serving.
  ///
  /// - Parameters:
  ///   - gateway: The behaviour to serve.
  ///   - host: Address to bind, 127.0.0.1 by default.
  ///   - port: Port, or 0 for any free one.
  /// - Throws: When the address cannot be bound.
  public static func start(gateway: SimulatorGateway, host: String = "127.0.0.1", port: Int = 0) async throws
    -> SimulatorServer
  {
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .bind(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
            wrappingChannelSynchronously: channel)
        }
      }
    let boundPort = server.channel.localAddress?.port ?? port
    gateway.setPublicBaseURL("http://\(host):\(boundPort)")
    let channel = server.channel
    let responders = SimulatorResponders()
    let acceptLoop = Task(executorPreference: SimulatorExecutor()) {
      await withDiscardingTaskGroup { group in
        do {
          try await server.executeThenClose { inbound in
            for try await connection in inbound {
              group.addTask { await serve(connection, gateway: gateway, responders: responders) }
            }
          }
        } catch {
          // The server channel closed: stop accepting.
        }
        group.cancelAll()
      }
    }
    let hookLoop = Task { await HookSender(gateway: gateway).run() }
    return SimulatorServer(
      port: boundPort, host: host, gateway: gateway, serverChannel: channel, acceptLoop: acceptLoop,
      hookLoop: hookLoop)
  }

  /// Stops listening and closes open connections.
  public func stop() async {
    try? await serverChannel.close()
    acceptLoop.cancel()
    hookLoop.cancel()
    await acceptLoop.value
    await hookLoop.value
  }

  private static func serve(
    _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, gateway: SimulatorGateway,
    responders: SimulatorResponders
  ) async {
    try? await connection.executeThenClose { inbound, outbound in
      var head: HTTPRequestHead?
      var body = ByteBuffer()
      for try await part in inbound {
        switch part {
        case .head(let requestHead):
          head = requestHead
          body.clear()
        case .body(var chunk):
          guard body.readableBytes + chunk.readableBytes <= maximumRequestBytes else {
            try await write(
              SimulatorResponse.text(status: 413, "Request Entity Too Large"), to: outbound, keepAlive: false)
            return
          }
          body.writeBuffer(&chunk)
        case .end:
          guard let requestHead = head else { return }
          let request = SimulatorRequest(
            method: requestHead.method.rawValue, uri: requestHead.uri,
            headers: requestHead.headers.map { (name: $0.name, value: $0.value) },
            body: Data(body.readableBytesView))
          gateway.startedRequest()
          defer { gateway.finishedRequest() }
          // Answered off the simulator's one serial executor: rendering a picture the first time it is asked
          // for must not stall every other connection.
          let response = await responders.run { gateway.respond(to: request) }
          let delay = response.delaySeconds + gateway.configuration.latencySeconds + gateway.latencyJitter()
          if delay > 0 {
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
          }
          let keepAlive = requestHead.isKeepAlive && !response.truncateOnWire
          try await write(response, to: outbound, keepAlive: keepAlive)
          if !keepAlive { return }
          head = nil
        }
      }
    }
  }

  private static func write(
    _ response: SimulatorResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, keepAlive: Bool
  ) async throws {
    var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
    headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
    headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    try await outbound.write(.head(head))
    let sent = response.truncateOnWire ? response.body.prefix(response.body.count / 2) : response.body
    if let piece = response.trickleBytes, piece > 0 {
      var offset = sent.startIndex
      while offset < sent.endIndex {
        let end = min(offset + piece, sent.endIndex)
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: sent[offset..<end]))))
        offset = end
        if offset < sent.endIndex { try await Task.sleep(for: .milliseconds(Int(response.trickleInterval * 1000))) }
      }
    } else if !sent.isEmpty {
      try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: sent))))
    }
    if !response.truncateOnWire {
      try await outbound.write(.end(nil))
    }
  }
}

extension SimulatorServer {
  /// Runs `body` with a simulator listening on a free port of 127.0.0.1, and stops it afterwards, also on error.
  public static func withRunning<T>(
    _ configuration: SimulatorConfiguration, _ body: (SimulatorServer) async throws -> T
  ) async throws -> T {
    let server = try await start(gateway: SimulatorGateway(configuration: configuration))
    do {
      let value = try await body(server)
      await server.stop()
      return value
    } catch {
      await server.stop()
      throw error
    }
  }
}
