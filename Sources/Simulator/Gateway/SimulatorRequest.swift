import Foundation

/// One HTTP request as the simulator's server received it.
public struct SimulatorRequest: Sendable {
  public var method: String
  /// Path and query, such as `/mj-fast/mj/task/1/fetch`.
  public var uri: String
  public var headers: [(name: String, value: String)]
  public var body: Data

  public init(method: String, uri: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
    self.method = method
    self.uri = uri
    self.headers = headers
    self.body = body
  }

  func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The path without the query.
  var path: String { String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "") }

  /// Query items as a dictionary (last one wins).
  var query: [String: String] {
    guard let components = URLComponents(string: uri) else { return [:] }
    var items: [String: String] = [:]
    for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
    return items
  }
}
