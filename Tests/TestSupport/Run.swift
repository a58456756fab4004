import Foundation

/// Runs a program with `input` on its standard input and returns its standard output.
///
/// - Throws: When it cannot start or exits non-zero.
@discardableResult
public func run(_ program: String, _ arguments: [String], input: Data? = nil) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: program)
  process.arguments = arguments
  let outcome = try ProcessOutcome.run(process, input: input)
  guard outcome.status == 0 else { throw CocoaError(.executableLoad) }
  return outcome.stdout
}
