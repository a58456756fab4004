import Basics
import Foundation
import MidjourneyAPI

/// Where an image download may go, hop by hop: any http(s) host, but an address on this machine or
/// its link (loopback, link-local such as a cloud's metadata service, unspecified, multicast) only
/// when it is the gateway's own origin or the configured image host.
///
/// An image link comes from the gateway and a redirect from whoever answers it; neither may point
/// mjarchive at another service on the user's machine. The key goes only to the gateway's origin.
struct DownloadPolicy: Sendable {
  /// The gateway's base URL: the one origin that gets the key.
  let gateway: URL
  /// Origins trusted even on a local address: the gateway and `--image-host`.
  let trusted: [URL]
  /// The `Authorization` header value for the gateway.
  let authorization: String?

  init(gateway: URL, imageHost: String?, authorization: String?) {
    self.gateway = gateway
    self.authorization = authorization
    let host = imageHost.flatMap { URL(string: $0.contains("://") ? $0 : "https://" + $0) }
    trusted = [gateway] + (host.map { [$0] } ?? [])
  }

  /// Why `url` may not be fetched (nil when it may), and the address checked for it, which the download connects
  /// to instead of resolving the name again (nil for a trusted origin, or a name that does not resolve).
  func destination(for url: URL) -> (refusal: String?, address: String?) {
    guard let refusal = refusal(for: url) else {
      let trusted = trusted.contains { Self.sameOrigin(url, $0) }
      return (nil, trusted ? nil : url.host.flatMap { Self.addresses(of: $0).first })
    }
    return (refusal, nil)
  }

  /// Why `url` may not be fetched, or nil when it may.
  func refusal(for url: URL) -> String? {
    guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host,
      !host.isEmpty
    else {
      return "\(url.absoluteString.prefix(120)) is not an http(s) URL"
    }
    if trusted.contains(where: { Self.sameOrigin(url, $0) }) { return nil }
    let addresses = Self.addresses(of: host)
    guard let local = addresses.first(where: Self.isLocal) else { return nil }
    // The same service under another name (localhost for 127.0.0.1) is still the trusted one.
    let trustedAddresses = trusted.filter { Self.port(of: $0) == Self.port(of: url) }.flatMap {
      Self.addresses(of: $0.host ?? "")
    }
    if !trustedAddresses.isEmpty && !Set(trustedAddresses).isDisjoint(with: addresses) { return nil }
    return "\(host):\(Self.port(of: url)) is \(local), an address on this machine or its link, and not the gateway's"
  }

  /// The `Authorization` header for `url`: only the gateway's own origin gets it.
  func authorization(for url: URL) -> String? {
    Self.sameOrigin(url, gateway) ? authorization : nil
  }

  static func sameOrigin(_ first: URL, _ second: URL) -> Bool {
    first.host?.lowercased() == second.host?.lowercased() && port(of: first) == port(of: second)
  }

  static func port(of url: URL) -> Int {
    url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
  }

  /// Hosts already resolved by this process: a sync downloads thousands of images from one or two hosts,
  /// and `getaddrinfo` blocks the thread it runs on.
  private static let resolved = Locked<[String: [String]]>([:])

  /// The addresses `host` resolves to, as text (none when it does not resolve: the download then fails on its own).
  static func addresses(of host: String) -> [String] {
    if let known = resolved.withLock({ $0[host] }) { return known }
    let found = lookUp(host)
    resolved.withLock { cache in
      if cache.count >= 256 { cache.removeAll() }
      cache[host] = found
    }
    return found
  }

  private static func lookUp(_ host: String) -> [String] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [] }
    defer { freeaddrinfo(list) }
    var found: [String] = []
    var entry = list
    while let current = entry?.pointee {
      var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
      if current.ai_family == AF_INET, let address = current.ai_addr {
        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { socket in
          var raw = socket.pointee.sin_addr
          _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
        }
      } else if current.ai_family == AF_INET6, let address = current.ai_addr {
        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { socket in
          var raw = socket.pointee.sin6_addr
          _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
        }
      }
      let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if !address.isEmpty && !found.contains(address) { found.append(address) }
      entry = current.ai_next
    }
    return found
  }

  /// Loopback, link-local, unspecified, multicast or broadcast, in IPv4 or IPv6 (IPv4-mapped included).
  static func isLocal(_ address: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    if inet_pton(AF_INET, address, &v4) == 1 {
      let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
      return bytes[0] == 127 || bytes[0] == 0 || (bytes[0] == 169 && bytes[1] == 254) || bytes[0] >= 224
    }
    guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
    let bytes = withUnsafeBytes(of: v6) { Array($0) }
    if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
      return isLocal(bytes[12..<16].map(String.init).joined(separator: "."))
    }
    let loopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
    let unspecified = bytes.allSatisfy { $0 == 0 }
    return loopback || unspecified || (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80) || bytes[0] == 0xFF
  }
}
