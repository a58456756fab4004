import Foundation
import TestSupport

/// Runs the Python helpers in `Browser/` with Debian's interpreter (where python3-html5lib is installed).
enum BrowserRun {
  static let browserFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Browser")

  /// Runs `/usr/bin/python3 script arguments…` with `input` on stdin; returns stdout, or throws with stderr.
  static func python(_ script: String, _ arguments: [String], input: Data = Data()) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [script] + arguments
    let outcome = try ProcessOutcome.run(process, input: input)
    guard outcome.status == 0 else { throw Failure(message: "\(script) failed: \(outcome.stderr)") }
    return outcome.stdout
  }

  struct Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
