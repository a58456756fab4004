import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct GatewayConfigurationTests {
  @Test func routesGoUnderTheModePrefix() throws {
    let fast = try GatewayConfiguration(baseURL: "https://gw.example.com/", apiKey: nil, mode: .fast)
    #expect(fast.url(for: .imagine).absoluteString == "https://gw.example.com/mj-fast/mj/submit/imagine")
    let none = try GatewayConfiguration(baseURL: "https://gw.example.com/api", apiKey: nil, mode: .none)
    #expect(none.url(for: .fetch(id: "123")).absoluteString == "https://gw.example.com/api/mj/task/123/fetch")
    let custom = try GatewayConfiguration(
      baseURL: "http://h:8080", apiKey: nil, mode: try GatewayMode(parsing: "/fast"))
    #expect(custom.url(for: .listByCondition).absoluteString == "http://h:8080/fast/mj/task/list-by-condition")
  }

  @Test(arguments: ["relax", "turbo", "none", "FAST"])
  func modeNamesParse(name: String) throws {
    #expect(try GatewayMode(parsing: name).description == name.lowercased())
  }

  @Test(arguments: ["slow", "/../x", "/a/b", "/"])
  func badModesAreRefused(name: String) {
    #expect(throws: GatewayError.self) { try GatewayMode(parsing: name) }
  }

  @Test(arguments: ["", "gw.example.com", "ftp://gw.example.com", "https://", "https://gw.example.com/?x=1"])
  func badBaseURLsAreRefused(url: String) {
    let error = #expect(throws: GatewayError.self) { try GatewayConfiguration(baseURL: url, apiKey: nil) }
    #expect(error?.exitCode == 2)
  }

  @Test func theKeyNeverAppearsInDescriptionsOrErrors() throws {
    let key = "sk-abcdefghijklmnopqrstuvwxyz0123456789"
    let configuration = try GatewayConfiguration(baseURL: "https://gw.example.com", apiKey: key)
    #expect(!configuration.description.contains(key))
    #expect(!String(reflecting: configuration.mode).contains(key))
    let error = #expect(throws: GatewayError.self) {
      try GatewayConfiguration(baseURL: "https://gw.example.com", apiKey: key + "\nX-Injected: 1")
    }
    #expect(error?.description.contains(key) == false)
  }

  @Test(arguments: ["14001934816969359", "abc_DEF-1"])
  func validTaskIds(id: String) {
    #expect(TaskID.isValid(id))
  }

  @Test(arguments: ["", "../etc/passwd", "1/2", "a b", "<script>", String(repeating: "1", count: 65), "١٢٣"])
  func hostileTaskIdsAreRefused(id: String) {
    #expect(!TaskID.isValid(id))
    #expect(throws: GatewayError.self) { try TaskID.validated(id) }
  }
}
