import Foundation
import MidjourneyAPI

/// One answer the server writes, possibly with a fault applied to how it is sent.
public struct SimulatorResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: Data
  /// Wait this long before answering.
  public var delaySeconds: Double = 0
  /// Announce the full length but send only half and close.
  public var truncateOnWire = false
  /// Send the body this many bytes at a time, a piece every `trickleInterval` seconds (nil: all at once).
  public var trickleBytes: Int?
  public var trickleInterval: Double = 0.2

  public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  static func json(_ value: JSONValue, status: Int = 200) -> SimulatorResponse {
    SimulatorResponse(
      status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
      body: Data(value.serialized().utf8))
  }

  static func html(status: Int, title: String) -> SimulatorResponse {
    let page = """
      <html>\r
      <head><title>\(status) \(title)</title></head>\r
      <body>\r
      <center><h1>\(status) \(title)</h1></center>\r
      <hr><center>nginx</center>\r
      </body>\r
      </html>\r

      """
    return SimulatorResponse(status: status, headers: [("Content-Type", "text/html")], body: Data(page.utf8))
  }

  static func text(status: Int, _ message: String) -> SimulatorResponse {
    SimulatorResponse(status: status, headers: [("Content-Type", "text/plain")], body: Data(message.utf8))
  }
}
