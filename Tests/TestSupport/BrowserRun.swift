import Foundation

/// Runs the Python helpers in `Browser/` with Debian's interpreter (where python3-html5lib is installed).
public enum BrowserRun {
  public static let browserFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Browser")

  /// Runs `/usr/bin/python3 script arguments…` with `input` on stdin; returns stdout, or throws with stderr.
  public static func python(_ script: String, _ arguments: [String], input: Data = Data()) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script] + arguments
    let outcome = try ProcessOutcome.run(process, input: input)
    guard outcome.status == 0 else { throw Failure(message: "\(script) failed: \(outcome.stderr)") }
    return outcome.stdout
  }

  public struct Failure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}
