import Foundation

/// What a run of Debian's headless Chromium saw: the values its steps asked for, console errors and warnings, and
/// every URL requested.
public struct BrowserSession {
  public var values: [Any]
  public var console: [String]
  public var requests: [String]

  /// Runs `steps` (see `Browser/browse.py`) in a fresh headless Chromium driven through the DevTools protocol.
  public static func run(_ steps: [[String: Any]]) async throws -> BrowserSession {
    let plan = try JSONSerialization.data(withJSONObject: steps)
    let output = try await withoutBlockingThePool {
      try BrowserRun.python(BrowserRun.browserFolder.appendingPathComponent("browse.py").path, [], input: plan)
    }
    guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
      throw BrowserRun.Failure(message: "browse.py printed no JSON object: \(output.prefix(500))")
    }
    return BrowserSession(
      values: object["values"] as? [Any] ?? [], console: object["console"] as? [String] ?? [],
      requests: object["requests"] as? [String] ?? [])
  }
}
