import AsyncHTTPClient
import Basics
import Foundation
import MidjourneyAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// The real network: async-http-client (SwiftNIO), chosen over URLSession because on Linux it
/// takes an explicit proxy, streams large bodies with a size cap, and reports failures precisely
/// enough to know whether a submit could have reached the gateway.
public final class AsyncHTTPClientTransport: HTTPTransport {
  /// Clients for API calls; none follows a redirect itself (`perform` follows those within the gateway's origin).
  private let direct: HTTPClient
  private let proxied: HTTPClient?
  /// Clients for image downloads: no redirects (the caller checks each hop) and no compression asked for (an
  /// image is compressed already, and a decoded body would not match its announced length).
  private let downloadDirect: HTTPClient
  private let downloadProxied: HTTPClient?
  private let proxy: ProxySettings?
  /// Download clients that connect to one checked address for one host (`TransportRequest.connectTo`), by
  /// `host address`; a sync talks to one or two image hosts, so there are few.
  private let pinned = Locked<[String: HTTPClient]>([:])
  /// Redirects `perform` follows for one API call.
  static let maximumRedirects = 5

  /// Creates a transport; call `shutdown()` when done.
  ///
  /// - Parameter proxy: An HTTP proxy for every host it does not bypass, or nil for direct connections.
  public init(proxy: ProxySettings? = nil) {
    self.proxy = proxy
    self.direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(proxy: nil))
    self.proxied = proxy.map {
      HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(proxy: $0))
    }
    self.downloadDirect = HTTPClient(
      eventLoopGroupProvider: .singleton, configuration: Self.configuration(proxy: nil, decompresses: false))
    self.downloadProxied = proxy.map {
      HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(proxy: $0, decompresses: false))
    }
  }

  /// The download client that connects to `address` for `host`: the address a policy checked, never the name
  /// resolved again.
  private func pinnedClient(host: String, address: String) -> HTTPClient {
    pinned.withLock { clients in
      if let client = clients["\(host) \(address)"] { return client }
      var configuration = Self.configuration(proxy: nil, decompresses: false)
      configuration.dnsOverride = [host: address]
      let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
      clients["\(host) \(address)"] = client
      return client
    }
  }

  private static func configuration(proxy: ProxySettings?, decompresses: Bool = true) -> HTTPClient.Configuration {
    var configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow,
      timeout: .init(connect: .seconds(10), read: .seconds(60)),
      decompression: decompresses ? .enabled(limit: .ratio(50)) : .disabled
    )
    // Fail fast on a refused connection: the gateway client decides about retries itself.
    configuration.connectionPool.retryConnectionEstablishment = false
    // async-http-client keeps 8 HTTP/1 connections per host by default, which would quietly cap
    // sync's --concurrency (up to 32) at 8; the caller bounds what is in flight.
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
    if let proxy {
      let authorization = proxy.credentials.map {
        HTTPClient.Authorization.basic(username: $0.user, password: $0.password)
      }
      configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
    }
    return configuration
  }

  /// Closes all connections.
  public func shutdown() async {
    for client in pinned.withLock({ Array($0.values) }) { try? await client.shutdown() }
    try? await direct.shutdown()
    try? await proxied?.shutdown()
    try? await downloadDirect.shutdown()
    try? await downloadProxied?.shutdown()
  }

  /// Sends an API call, following a redirect only within the origin it was sent to (the key goes with it, so a
  /// redirect elsewhere, another port of this machine included, is never followed), and a 301–303 only for a read
  /// (it would turn a submit into a GET).
  public func perform(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
    var current = request
    for _ in 0...Self.maximumRedirects {
      let response = try await performOnce(current)
      guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
        return response
      }
      guard let next = URL(string: location, relativeTo: current.url)?.absoluteURL,
        Self.origin(next) == Self.origin(request.url)
      else {
        throw .other(
          "the gateway answered with a redirect to \(location.redactedURL.singleLine(limit: 120)), which is not "
            + "followed (only redirects within \(Self.origin(request.url)) are): check the base URL")
      }
      guard response.status >= 307 || ["GET", "HEAD"].contains(current.method) else {
        throw .other("the gateway answered a \(current.method) with HTTP \(response.status), which is not followed")
      }
      current.url = next
    }
    throw .other("the gateway redirects more than \(Self.maximumRedirects) times")
  }

  /// How late it is past `moment`, counting only lateness beyond a quarter second (ordinary scheduling).
  private static func lateness(since moment: ContinuousClock.Instant) -> Duration {
    let late = ContinuousClock.now - moment
    return late > .milliseconds(250) ? late : .zero
  }

  /// `scheme://host:port` of a URL, the port spelled out.
  private static func origin(_ url: URL) -> String {
    let scheme = url.scheme?.lowercased() ?? ""
    return "\(scheme)://\(url.host?.lowercased() ?? ""):\(url.port ?? (scheme == "https" ? 443 : 80))"
  }

  private func performOnce(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
    try await execute(request) { response, start in
      var body = ByteBuffer()
      try await Self.readBody(of: response, for: request, startedAt: start) { buffer in
        guard body.readableBytes + buffer.readableBytes <= request.maximumBodyBytes else {
          throw NIOTooManyBytesError(maxBytes: request.maximumBodyBytes)
        }
        var buffer = buffer
        body.writeBuffer(&buffer)
      }
      return TransportResponse(
        status: Int(response.status.code), headers: response.headers.map { (name: $0.name, value: $0.value) },
        body: Data(body.readableBytesView))
    }
  }

  public func download(
    _ request: TransportRequest, consume: (UnsafeRawBufferPointer) throws -> Void
  ) async throws(TransportError) -> DownloadResponse {
    try await execute(request, downloading: true) { response, start in
      var written = 0
      try await Self.readBody(of: response, for: request, startedAt: start) { buffer in
        written += buffer.readableBytes
        guard written <= request.maximumBodyBytes else {
          throw NIOTooManyBytesError(maxBytes: request.maximumBodyBytes)
        }
        try buffer.withUnsafeReadableBytes { try consume($0) }
      }
      // A body shorter than its Content-Length is a cut download, whatever the connection said.
      if let expected = response.headers.first(name: "Content-Length").flatMap(Int.init), expected != written {
        throw HTTPClientError.bodyLengthMismatch
      }
      return DownloadResponse(
        status: Int(response.status.code), headers: response.headers.map { (name: $0.name, value: $0.value) },
        bodyBytes: written)
    }
  }

  /// Hands each piece of the body to `each`, failing with `TransportError.tooSlow` once the request's deadline
  /// passes, however the bytes trickle in.
  ///
  /// async-http-client's own deadline ends with the answer's head, and its read timeout only bounds the time
  /// between two pieces: a server sending a byte a second held a sync (and its lock) for minutes. The body is
  /// read on a child task while a watchdog beside it ends the stream at the deadline (cancelling the child, which
  /// cancels the request); this task writes each piece.
  private static func readBody(
    of response: HTTPClientResponse, for request: TransportRequest, startedAt start: ContinuousClock.Instant,
    each: (ByteBuffer) throws -> Void
  ) async throws {
    let (pieces, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
    let received = Locked(0)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        do {
          for try await buffer in response.body {
            received.withLock { $0 += buffer.readableBytes }
            continuation.yield(buffer)
          }
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      let created = ContinuousClock.now
      group.addTask {
        // Time this process could not run (a busy machine starving its threads) is not the server's slowness: the
        // watchdog forgives whatever it was late by, starting with its own start.
        var forgiven = Self.lateness(since: created)
        while true {
          let deadline = request.deadline(startedAt: start, received: received.withLock { $0 }) + forgiven
          let now = ContinuousClock.now
          if now >= deadline {
            let seconds = Int((now - start - forgiven).components.seconds)
            continuation.finish(throwing: TransportError.tooSlow(seconds: seconds))
            return
          }
          let wake = min(deadline, now + .seconds(1))
          try await Task.sleep(until: wake)
          forgiven += Self.lateness(since: wake)
        }
      }
      do {
        for try await piece in pieces { try each(piece) }
      } catch {
        group.cancelAll()
        throw error
      }
      group.cancelAll()
    }
  }

  /// Sends `request` through the right client and hands the answer to `read`, sorting failures.
  private func execute<T>(
    _ request: TransportRequest, downloading: Bool = false,
    read: (HTTPClientResponse, ContinuousClock.Instant) async throws -> T
  ) async throws(TransportError) -> T {
    let host = request.url.host ?? ""
    let viaProxy = proxy.flatMap { $0.bypasses(host: host) ? nil : $0 }
    let client: HTTPClient
    if downloading, viaProxy == nil, let address = request.connectTo {
      // Through a proxy the proxy resolves the name; directly, the checked address is the one connected to.
      client = pinnedClient(host: host, address: address)
    } else {
      client =
        downloading
        ? (viaProxy != nil ? downloadProxied : nil) ?? downloadDirect : (viaProxy != nil ? proxied : nil) ?? direct
    }
    var outgoing = HTTPClientRequest(url: request.url.absoluteString)
    outgoing.method = HTTPMethod(rawValue: request.method)
    for header in request.headers {
      outgoing.headers.add(name: header.name, value: header.value)
    }
    if let body = request.body {
      outgoing.body = .bytes(ByteBuffer(bytes: body))
    }
    let timeout = TimeAmount.nanoseconds(
      Int64(request.timeout.components.seconds) * 1_000_000_000 + request.timeout.components.attoseconds / 1_000_000_000
    )
    let start = ContinuousClock.now
    do {
      return try await read(try await client.execute(outgoing, timeout: timeout), start)
    } catch let error as TransportError {
      throw error
    } catch {
      let failure = Self.classify(error, host: host, limit: request.maximumBodyBytes)
      // Through a proxy, a refused connection is the proxy's: say so rather than blame the gateway's URL.
      if case .connectionRefused = failure, let viaProxy {
        throw TransportError.proxyRefused(proxy: "\(viaProxy.host):\(viaProxy.port)")
      }
      throw failure
    }
  }

  /// Sorts a client error into what the gateway client needs to know.
  private static func classify(_ error: any Error, host: String, limit: Int) -> TransportError {
    if error is NIOTooManyBytesError { return .bodyTooLarge(limit: limit) }
    if let clientError = error as? HTTPClientError {
      switch clientError {
      case .connectTimeout, .readTimeout, .deadlineExceeded, .writeTimeout, .getConnectionFromPoolTimeout:
        return .timedOut
      case .remoteConnectionClosed, .bodyLengthMismatch:
        return .connectionClosed
      case .invalidURL, .emptyHost, .emptyScheme:
        return .invalidRequest("the URL \(host) cannot be used: \(clientError)")
      default:
        return .other(String(describing: clientError))
      }
    }
    // A compressed answer that would unpack beyond 50 times its size (async-http-client says only "limit").
    if String(reflecting: type(of: error)).hasSuffix("DecompressionError") {
      return .other("the answer's compressed body would unpack to more than 50 times its size; it was refused")
    }
    if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
      return .connectionRefused(host: host)
    }
    if let connectionError = error as? NIOConnectionError {
      let refused = connectionError.connectionErrors.contains {
        ($0.error as? IOError)?.errnoCode == ECONNREFUSED
      }
      return refused ? .connectionRefused(host: host) : .other("could not connect to \(host)")
    }
    if error is HTTPParserError { return .connectionClosed }
    let text = String(describing: error)
    if text.contains("Connection refused") { return .connectionRefused(host: host) }
    return .other(text)
  }
}
