import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Loopback TCP ports for servers the tests start.
public enum LoopbackPort {
  /// A port nothing listens on now, below the kernel's ephemeral range (32768 and up): a server the tests start
  /// by port number must not race the many that bind port 0 (and get an ephemeral port) meanwhile.
  public static func free() throws -> Int {
    for _ in 0..<100 {
      let port = Int.random(in: 20_000..<32_000)
      if (try? bound(port)) != nil { return port }
    }
    return try bound(0)
  }

  /// Binds a socket to `port` of 127.0.0.1 (0: the kernel picks) and releases it.
  ///
  /// - Returns: The port bound.
  private static func bound(_ port: Int) throws -> Int {
    let socket = try open()
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
      }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether something accepts connections on `port` of 127.0.0.1.
  public static func accepts(_ port: Int) -> Bool {
    guard let socket = try? open() else { return false }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  private static func open() throws -> Int32 {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw POSIXError(.EMFILE) }
    return socket
  }
}
