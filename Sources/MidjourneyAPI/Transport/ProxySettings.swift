import Foundation

/// Which HTTP proxy to use, from `--proxy` or the usual environment variables, honouring `no_proxy`.
///
/// Foundation's URLSession on Linux reads only the lowercase variables; this reads both spellings.
public struct ProxySettings: Sendable, Equatable {
  public var host: String
  public var port: Int
  /// `user:password` from the proxy URL, if any.
  public var credentials: (user: String, password: String)?
  /// Hosts (and their subdomains) reached directly.
  public var bypassHosts: [String]

  public static func == (lhs: ProxySettings, rhs: ProxySettings) -> Bool {
    lhs.host == rhs.host && lhs.port == rhs.port && lhs.bypassHosts == rhs.bypassHosts
      && lhs.credentials?.user == rhs.credentials?.user && lhs.credentials?.password == rhs.credentials?.password
  }

  /// Parses `http://[user:pass@]host[:port]`.
  ///
  /// - Throws: `TransportError.invalidRequest` for anything else (the message never repeats a password).
  public init(url text: String, bypassHosts: [String] = []) throws(TransportError) {
    guard let components = URLComponents(string: text.contains("://") ? text : "http://" + text),
      let host = components.host, !host.isEmpty
    else {
      throw TransportError.invalidRequest("the proxy setting is not a URL like http://host:3128")
    }
    guard components.scheme?.lowercased() == "http" else {
      throw TransportError.invalidRequest("only http:// proxies are supported (got \(components.scheme ?? "none")://)")
    }
    self.host = host
    self.port = components.port ?? 80
    if let user = components.user {
      self.credentials = (user.removingPercentEncoding ?? user, components.password?.removingPercentEncoding ?? "")
    } else {
      self.credentials = nil
    }
    self.bypassHosts = bypassHosts
  }

  /// The proxy the environment asks for when reaching a URL of `scheme`, or nil.
  ///
  /// - Parameters:
  ///   - environment: Process environment.
  ///   - scheme: `http` or `https`.
  /// - Throws: `TransportError.invalidRequest` when the variable is set but unusable.
  public static func fromEnvironment(
    _ environment: [String: String], scheme: String
  ) throws(TransportError) -> ProxySettings? {
    let names = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]
    guard let value = names.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else { return nil }
    let bypass = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "")
      .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
    return try ProxySettings(url: value, bypassHosts: bypass)
  }

  /// True when `host` is listed in `no_proxy` (exactly, as a subdomain, or `*`).
  public func bypasses(host: String) -> Bool {
    let host = host.lowercased()
    return bypassHosts.contains { entry in
      if entry == "*" { return true }
      let bare = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
      return host == bare || host.hasSuffix("." + bare)
    }
  }
}
