import Foundation

/// Where to download a task's image from, and when its link expires.
public struct ImageLink: Sendable, Equatable {
  /// Hosts of Discord's CDN, which `--image-host` replaces with an image proxy.
  static let discordHosts: Set<String> = ["cdn.discordapp.com", "media.discordapp.net"]

  /// The URL to fetch.
  public var url: URL
  /// Unix seconds after which a signed CDN link stops working (its `ex` parameter), if it has one.
  public var expiresAt: Int?

  /// Resolves the gateway's `imageUrl`.
  ///
  /// - Parameters:
  ///   - text: `imageUrl` as the gateway returned it.
  ///   - gateway: The configured gateway base URL: a link to the gateway's own image route
  ///     (`…/mj/image/<id>`, often on an internal address such as `localhost:3000`) is fetched from it.
  ///   - imageHost: A host (`host[:port]`) to put in place of Discord's CDN hosts, or nil.
  /// - Returns: nil when the link is not an http(s) URL.
  public init?(_ text: String, gateway: URL, imageHost: String? = nil) {
    guard var components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
      let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = components.host,
      !host.isEmpty
    else { return nil }
    if let range = components.path.range(of: "/mj/image/"),
      let base = URLComponents(url: gateway, resolvingAgainstBaseURL: false)
    {
      // The gateway's own route: same path on the gateway's public origin (keeping its path prefix, if any).
      let prefix = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
      components.scheme = base.scheme
      components.host = base.host
      components.port = base.port
      components.path = prefix + components.path[range.lowerBound...]
    } else if let imageHost, Self.discordHosts.contains(host.lowercased()),
      let proxy = URLComponents(string: imageHost.contains("://") ? imageHost : "https://" + imageHost)
    {
      components.scheme = proxy.scheme
      components.host = proxy.host
      components.port = proxy.port
    }
    guard let url = components.url else { return nil }
    self.url = url
    self.expiresAt = components.queryItems?.first { $0.name == "ex" }?.value.flatMap { Int($0, radix: 16) }
  }
}
