import ArgumentParser
import Basics
import Foundation
import GatewayHTTP
import MidjourneyAPI

/// Where the gateway is and how to reach it; every value can also come from the environment.
struct GatewayOptions: ParsableArguments {
  @Option(help: "Gateway base URL (default: $MJ_BASE_URL).")
  var baseURL: String?

  @Option(help: "Read the API key from this file (default: $MJ_API_KEY). The key is never printed.")
  var apiKeyFile: String?

  @Option(help: "Speed mode path prefix: fast, relax, turbo, none, or /prefix (default: $MJ_MODE or fast).")
  var mode: String?

  @Option(
    help: "HTTP proxy URL (default: $https_proxy / $HTTPS_PROXY / $http_proxy / $HTTP_PROXY, honouring $no_proxy).")
  var proxy: String?

  @Option(parsing: .unconditional, help: "Seconds to allow each request.")
  var timeout: Int = 30

  func validate() throws {
    guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 3600 seconds") }
  }

  /// Builds the client and the transport it uses (which the caller shuts down).
  func makeClient() throws(GatewayError) -> (GatewayClient, AsyncHTTPClientTransport) {
    let environment = ProcessInfo.processInfo.environment
    guard let base = baseURL ?? environment["MJ_BASE_URL"], !base.isEmpty else {
      throw GatewayError.invalidConfiguration(
        "no gateway configured: set MJ_BASE_URL (e.g. https://gateway.example.com) or pass --base-url")
    }
    let key = try loadKey(environment: environment)
    let configuration = try GatewayConfiguration(
      baseURL: base, apiKey: key, mode: try GatewayMode(parsing: mode ?? environment["MJ_MODE"] ?? "fast"),
      requestTimeout: .seconds(timeout))
    let proxySettings: ProxySettings?
    do {
      if let proxy {
        proxySettings = try ProxySettings(url: proxy)
      } else {
        proxySettings = try ProxySettings.fromEnvironment(environment, scheme: configuration.baseURL.scheme ?? "https")
      }
    } catch {
      throw GatewayError.invalidConfiguration(error.description)
    }
    let transport = AsyncHTTPClientTransport(proxy: proxySettings)
    return (GatewayClient(configuration: configuration, transport: transport), transport)
  }

  private func loadKey(environment: [String: String]) throws(GatewayError) -> String? {
    guard let apiKeyFile else { return environment["MJ_API_KEY"] }
    switch KeyFile.read(at: apiKeyFile) {
    case .success(let key):
      if let warning = KeyFile.exposureWarning(at: apiKeyFile) { Console.err("mjarchive: \(warning)") }
      return key
    case .failure(.unreadable):
      throw GatewayError.invalidConfiguration("cannot read the API key file \(apiKeyFile.singleLine(limit: 200))")
    case .failure(.empty):
      throw GatewayError.invalidConfiguration("the API key file \(apiKeyFile.singleLine(limit: 200)) is empty")
    }
  }
}
