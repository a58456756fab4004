import Foundation

/// What a finished process printed and how it exited.
public struct ProcessOutcome: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String

  /// Runs `process` (executable, arguments and environment set by the caller) with `input` on its standard input,
  /// reading both output pipes while it runs so a full pipe never blocks it.
  public static func run(_ process: Process, input: Data?) throws -> ProcessOutcome {
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
      // Write from another thread: the process may read slowly, and its output pipes must be drained meanwhile.
      DispatchQueue.global().async {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
      }
    }
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
      errorData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessOutcome(
      status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
      stderr: String(decoding: errorData, as: UTF8.self))
  }
}
