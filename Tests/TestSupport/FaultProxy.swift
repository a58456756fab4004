import Basics
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback HTTP/1.1 proxy in front of a real server that misbehaves on request.
///
/// It answers S3's 503 SlowDown, cuts an upload half-way (the server gets half the body, the client a closed
/// connection), or waits before passing a request on. One request a connection (`Connection: close` both ways), a thread a connection; the Host header is
/// passed as sent, so signatures made for the proxy's address stay valid.
public final class FaultProxy: Sendable {
  public enum Fault: Sendable, Equatable {
    case none
    case slowDown
    case cutUpload
    case delay(milliseconds: Int)
  }

  /// One request as the proxy saw it.
  public struct Exchange: Sendable {
    public var method: String
    public var path: String
    public var fault: Fault
    /// The server's status (nil when it was never asked, or the upload was cut).
    public var status: Int?
  }

  public let port: Int
  private let upstreamPort: Int
  private let listener: Int32
  private let plan: @Sendable (_ method: String, _ path: String, _ index: Int) -> Fault
  private let state = Locked<(exchanges: [Exchange], stopped: Bool)>(([], false))

  /// Every request so far, in the order they arrived.
  public var exchanges: [Exchange] { state.withLock { $0.exchanges } }

  /// Starts listening on a free loopback port, passing requests on to `upstreamPort` of 127.0.0.1.
  ///
  /// - Parameter plan: The fault for the `index`-th request (from 0) of this method and path.
  public init(upstreamPort: Int, plan: @escaping @Sendable (String, String, Int) -> Fault) throws {
    self.upstreamPort = upstreamPort
    self.plan = plan
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw POSIXError(.EMFILE) }
    var address = Self.loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
      }
    }
    guard bound, listen(listener, 64) == 0 else {
      close(listener)
      throw POSIXError(.EADDRINUSE)
    }
    self.listener = listener
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  /// Stops accepting connections.
  public func stop() {
    state.withLock { $0.stopped = true }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return address
  }

  private func acceptLoop() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else {
        if errno == EINTR { continue }
        return
      }
      Thread.detachNewThread { [self] in
        serve(client)
        close(client)
      }
    }
  }

  /// Reads one request, applies its fault, passes it on and relays the answer.
  private func serve(_ client: Int32) {
    guard let (head, body) = Self.readRequest(client) else { return }
    let requestLine = head.prefix { $0 != "\r" }.split(separator: " ")
    guard requestLine.count >= 2 else { return }
    let (method, path) = (String(requestLine[0]), String(requestLine[1]))
    let index = state.withLock { state in state.exchanges.filter { $0.method == method && $0.path == path }.count }
    let fault = plan(method, path, index)
    let slot = state.withLock { state in
      state.exchanges.append(Exchange(method: method, path: path, fault: fault, status: nil))
      return state.exchanges.count - 1
    }
    switch fault {
    case .slowDown:
      let xml = "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>"
      Self.transmit(
        client,
        Data(
          ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: \(xml.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(xml)").utf8))
      return
    case .delay(let milliseconds):
      usleep(UInt32(milliseconds) * 1_000)
    case .none, .cutUpload:
      break
    }
    let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard upstream >= 0 else { return }
    defer { close(upstream) }
    var address = Self.loopback(port: upstreamPort)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { return }
    let forwardedHead = Self.withConnectionClose(head)
    if fault == .cutUpload {
      // Half the body, then both connections close: the server must not keep a partial object.
      Self.transmit(upstream, Data(forwardedHead.utf8) + body.prefix(body.count / 2))
      shutdown(upstream, Int32(SHUT_RDWR))
      return
    }
    Self.transmit(upstream, Data(forwardedHead.utf8) + body)
    var answer = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = read(upstream, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      answer.append(contentsOf: buffer[0..<count])
    }
    let statusLine = String(decoding: answer.prefix { $0 != 0x0D }, as: UTF8.self).split(separator: " ")
    let status = statusLine.count > 1 ? Int(statusLine[1]) : nil
    state.withLock { $0.exchanges[slot].status = status }
    Self.transmit(client, Self.answerClosing(answer))
  }

  /// The request's head (up to and with the blank line) and its body (by Content-Length).
  private static func readRequest(_ socket: Int32) -> (head: String, body: Data)? {
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var headEnd: Int?
    var bodyLength = 0
    while true {
      if headEnd == nil, let range = received.range(of: Data("\r\n\r\n".utf8)) {
        headEnd = range.upperBound
        let head = String(decoding: received[..<range.upperBound], as: UTF8.self)
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
          bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
      }
      if let headEnd, received.count >= headEnd + bodyLength {
        let head = String(decoding: received[..<headEnd], as: UTF8.self)
        return (head, Data(received[headEnd..<(headEnd + bodyLength)]))
      }
      let count = read(socket, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return nil }
      received.append(contentsOf: buffer[0..<count])
    }
  }

  /// The head with any Connection header replaced by `Connection: close`.
  private static func withConnectionClose(_ head: String) -> String {
    let lines = head.components(separatedBy: "\r\n").filter { !$0.lowercased().hasPrefix("connection:") && !$0.isEmpty }
    return ([lines[0], "Connection: close"] + lines.dropFirst()).joined(separator: "\r\n") + "\r\n\r\n"
  }

  /// The server's answer with `Connection: close`, so the client opens a new connection for its next request.
  private static func answerClosing(_ answer: Data) -> Data {
    guard let end = answer.range(of: Data("\r\n\r\n".utf8)) else { return answer }
    let head = String(decoding: answer[..<end.upperBound], as: UTF8.self)
    return Data(withConnectionClose(head).utf8) + answer[end.upperBound...]
  }

  /// Writes all of `data`, never raising SIGPIPE on a peer that went away.
  private static func transmit(_ socket: Int32, _ data: Data) {
    data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count, let base = buffer.baseAddress {
        let count = send(socket, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return }
        offset += count
      }
    }
  }
}
