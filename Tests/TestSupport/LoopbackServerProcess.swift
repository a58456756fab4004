import Foundation

/// A server program the tests start in the background, ended when the test process is gone.
enum LoopbackServerProcess {
  /// Runs `command` (a shell command line) in `folder` and waits until `port` on 127.0.0.1 accepts connections.
  ///
  /// A shell beside the server watches this process and ends the server with SIGKILL (and removes `folder`) once
  /// the tests are gone, even when they crash, or `stop(_:)` asks; its output goes to `folder/server.log`.
  /// - Throws: `StartFailure` with the end of the log when it does not start within `seconds`.
  static func start(
    _ command: String, in folder: URL, port: Int, environment: [String: String] = [:], seconds: Double = 60
  ) throws {
    let script = """
      cd '\(folder.path)' || exit 1
      \(command) > server.log 2>&1 &
      server=$!
      while kill -0 \(ProcessInfo.processInfo.processIdentifier) 2>/dev/null && kill -0 $server 2>/dev/null \\
        && [ ! -e stop ]; do
        sleep 1
      done
      kill -9 $server 2>/dev/null; wait $server; cd /; rm -rf '\(folder.path)'
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    // Not the tests' own output: `swift test` waits for every holder of that pipe to close it.
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(seconds)
    while !LoopbackPort.accepts(port) {
      guard process.isRunning, Date() < deadline else {
        let log = (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        throw StartFailure(description: "`\(command.prefix(60))…` did not start: \(log.suffix(2000))")
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
  }

  /// Ends the server started in `folder` and waits (up to 10 s) until its watcher removed the folder.
  static func stop(_ folder: URL) {
    FileManager.default.createFile(atPath: folder.appendingPathComponent("stop").path, contents: Data())
    let deadline = Date().addingTimeInterval(10)
    while FileManager.default.fileExists(atPath: folder.path), Date() < deadline {
      Thread.sleep(forTimeInterval: 0.1)
    }
  }

  /// Why a server could not start, with the end of its log.
  struct StartFailure: Error, CustomStringConvertible {
    var description: String
  }

  /// A new private folder for a server's files.
  static func folder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-\(name)-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }
}
