import Foundation

/// Runs a program with `input` on its standard input and returns its standard output.
///
/// - Throws: When it cannot start or exits non-zero.
@discardableResult
public func run(_ program: String, _ arguments: [String], input: Data? = nil) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: program)
  process.arguments = arguments
  let output = Pipe()
  let stdin = Pipe()
  process.standardOutput = output
  process.standardInput = input == nil ? FileHandle.nullDevice : stdin
  try process.run()
  if let input {
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
  }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
  return String(decoding: data, as: UTF8.self)
}
