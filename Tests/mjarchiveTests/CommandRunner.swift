import Foundation
import TestSupport

/// Runs the built `mjarchive` binary with a controlled environment and collects what it printed.
struct CommandRunner {
  struct Outcome: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The binary SwiftPM built next to the test bundle.
  static var binary: URL {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [directory, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
    return candidates.map { $0.appendingPathComponent("mjarchive") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? directory.appendingPathComponent("mjarchive")
  }

  /// HOME for the binary: a private folder of this test process, removed when it exits.
  ///
  /// Regression: HOME was the shared temporary folder, so a command falling back to the default archive
  /// (`~/.local/share/mjarchive`) wrote one that every other run on the machine then read, and a run of another
  /// build found it "written by a newer mjarchive".
  static let home: String = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-home-\(getpid())-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    atexit { try? FileManager.default.removeItem(atPath: CommandRunner.home) }
    return folder.path
  }()

  /// Copies the built binary to `destination`, through a descriptor closed on exec.
  ///
  /// Regression (seen under Scripts/sanitize.sh): `FileManager.copyItem` leaves its descriptor open
  /// across a fork, so a program another test starts meanwhile holds the copy open for writing, and
  /// running the copy fails with "Text file busy".
  static func copyBinary(to destination: URL) throws {
    let bytes = try Data(contentsOf: binary)
    let descriptor = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(descriptor) }
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
  }

  /// Starts `mjarchive arguments…` in the background, its output discarded, with only PATH, HOME and `environment`
  /// set: for runs a test kills or stops.
  static func launch(_ arguments: [String], environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": home]) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Runs `mjarchive arguments…` with only PATH, HOME and `environment` set, so no real key or proxy leaks in.
  ///
  /// The waiting happens on a Dispatch thread, so the in-process simulator the binary talks to is not starved.
  ///
  /// - Parameters:
  ///   - input: Bytes for standard input (default: none, as under cron).
  ///   - launcher: A command that runs the binary, e.g. `setpriv …` or `sh -c 'umask 0; exec "$0" "$@"'`.
  ///   - binary: The binary to run instead of the built one (a copy another user can reach).
  ///   - folder: The working folder to start it in (default: the tests').
  static func run(
    _ arguments: [String], environment: [String: String] = [:], input: Data? = nil, launcher: [String] = [],
    binary: URL = CommandRunner.binary, folder: URL? = nil
  ) async throws -> Outcome {
    try await withoutBlockingThePool {
      try runBlocking(
        arguments, environment: environment, input: input, launcher: launcher, binary: binary, folder: folder)
    }
  }

  /// Runs the binary, again if the launcher could not start it because the file was busy.
  ///
  /// Regression (a clean-clone CI run): a copy made just before is closed on exec, yet a program
  /// another test is starting at that moment still holds it open between its fork and its exec, and
  /// the launcher then fails with "Text file busy" (exit 126). That window passes in microseconds.
  private static func runBlocking(
    _ arguments: [String], environment: [String: String], input: Data?, launcher: [String], binary: URL, folder: URL?
  ) throws -> Outcome {
    var attempt = 0
    while true {
      let outcome = try runOnce(
        arguments, environment: environment, input: input, launcher: launcher, binary: binary, folder: folder)
      attempt += 1
      guard outcome.status == 126, outcome.stderr.contains("Text file busy"), attempt < 20 else { return outcome }
      usleep(50_000)
    }
  }

  private static func runOnce(
    _ arguments: [String], environment: [String: String], input: Data?, launcher: [String], binary: URL, folder: URL?
  ) throws -> Outcome {
    let process = Process()
    process.currentDirectoryURL = folder
    if let program = launcher.first {
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = Array(launcher.dropFirst()) + [binary.path] + arguments
    } else {
      process.executableURL = binary
      process.arguments = arguments
    }
    var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home]
    // Under Scripts/sanitize.sh the binary is instrumented too: its sanitizer settings travel with it.
    for name in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
      if let value = ProcessInfo.processInfo.environment[name] { base[name] = value }
    }
    base.merge(environment) { $1 }
    process.environment = base
    let outcome = try ProcessOutcome.run(process, input: input)
    return Outcome(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
  }
}
