import Testing

@testable import MidjourneyAPI

@Suite struct ProxySettingsTests {
  @Test func uppercaseVariablesCountTooUnlikeURLSession() throws {
    let proxy = try ProxySettings.fromEnvironment(
      ["HTTPS_PROXY": "http://user:p%40ss@proxy.local:3128"], scheme: "https")
    #expect(proxy?.host == "proxy.local")
    #expect(proxy?.port == 3128)
    #expect(proxy?.credentials?.user == "user")
    #expect(proxy?.credentials?.password == "p@ss")
    #expect(try ProxySettings.fromEnvironment(["http_proxy": "proxy:8080"], scheme: "http")?.port == 8080)
    #expect(try ProxySettings.fromEnvironment(["http_proxy": "proxy:8080"], scheme: "https") == nil)
  }

  @Test func noProxyMatchesHostsAndSubdomains() throws {
    let proxy = try ProxySettings.fromEnvironment(
      ["https_proxy": "http://p:1", "no_proxy": "localhost, .internal.example,127.0.0.1"], scheme: "https")
    #expect(proxy?.bypasses(host: "localhost") == true)
    #expect(proxy?.bypasses(host: "gw.internal.example") == true)
    #expect(proxy?.bypasses(host: "127.0.0.1") == true)
    #expect(proxy?.bypasses(host: "gateway.example.com") == false)
  }

  @Test func unusableProxiesAreRefusedWithoutEchoingThePassword() {
    let error = #expect(throws: TransportError.self) { try ProxySettings(url: "socks5://u:secretpw@h:1") }
    #expect(error?.description.contains("secretpw") == false)
    #expect(throws: TransportError.self) { try ProxySettings(url: "http://") }
  }
}
