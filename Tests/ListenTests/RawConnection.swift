import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A plain TCP connection to 127.0.0.1, for callers that misbehave below HTTP (a head never finished).
///
/// Its reads block, so they wait on a Dispatch thread: the listener under test answers on the cooperative ones.
final class RawConnection: Sendable {
  private let socket: Int32

  init(port: Int) throws {
    socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      close(socket)
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
  }

  deinit { close(socket) }

  /// Sends `text` as it is.
  func send(_ text: String) throws {
    let bytes = Array(text.utf8)
    guard Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
      throw POSIXError(.EPIPE)
    }
  }

  /// What the other end sends within `limit`, up to its first empty line or the end of the stream.
  func readAnswer(within limit: Duration) async throws -> String {
    try await withoutBlockingThePool { self.receiveAnswer(within: limit) }
  }

  /// True when the other end closes the connection within `limit` (whatever it sent first).
  func readUntilClosed(within limit: Duration) async throws -> Bool {
    try await withoutBlockingThePool { self.receiveUntilClosed(within: limit) }
  }

  private func receiveAnswer(within limit: Duration) -> String {
    var timeout = timeval(tv_sec: Int(limit.components.seconds), tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
      let count = recv(socket, &buffer, buffer.count, 0)
      guard count > 0 else { break }
      received += buffer[0..<count]
    }
    return String(decoding: received, as: UTF8.self)
  }

  private func receiveUntilClosed(within limit: Duration) -> Bool {
    var timeout = timeval(tv_sec: Int(limit.components.seconds), tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = recv(socket, &buffer, buffer.count, 0)
      if count == 0 { return true }
      if count < 0 { return errno == ECONNRESET }
    }
  }
}
