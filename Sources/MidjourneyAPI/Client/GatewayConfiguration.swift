import Basics
import Foundation

/// Where the gateway is and how to talk to it.
///
/// Its description never shows the key.
public struct GatewayConfiguration: Sendable, CustomStringConvertible {
  public var baseURL: URL
  /// The bearer key; never printed.
  public var apiKey: String?
  public var mode: GatewayMode
  /// Time allowed for one request.
  public var requestTimeout: Duration

  /// Checks and builds a configuration.
  ///
  /// - Parameters:
  ///   - baseURL: `http(s)://host[:port][/path]`.
  ///   - apiKey: The key, or nil for gateways that need none.
  ///   - mode: Path prefix choice.
  ///   - requestTimeout: Time allowed for one request.
  /// - Throws: `GatewayError.invalidConfiguration` for an unusable URL or a key with line breaks.
  public init(
    baseURL: String, apiKey: String?, mode: GatewayMode = .fast, requestTimeout: Duration = .seconds(30)
  ) throws(GatewayError) {
    let trimmed = baseURL.trimmingCharacters(in: .whitespaces)
    guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
    else {
      throw GatewayError.invalidConfiguration(
        "the base URL \"\(trimmed.redactedURL.singleLine(limit: 80))\" is not like https://gateway.example.com: set MJ_BASE_URL or --base-url"
      )
    }
    if let apiKey, apiKey.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
      throw GatewayError.invalidConfiguration(
        "the API key contains spaces or control characters: check MJ_API_KEY or the --api-key-file contents")
    }
    self.baseURL = url
    self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
    self.mode = mode
    self.requestTimeout = requestTimeout
  }

  /// The full URL of a route under the mode prefix.
  public func url(for endpoint: GatewayEndpoint) -> URL {
    var base = baseURL.absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    let prefix = mode.pathPrefix.map { "/" + $0 } ?? ""
    // Built from checked parts only (validated ids, fixed route names), so it always parses.
    return URL(string: base + prefix + endpoint.path) ?? baseURL
  }

  public var description: String {
    "gateway \(baseURL.absoluteString.redactedURL), mode \(mode), key \(apiKey == nil ? "none" : "set")"
  }
}
