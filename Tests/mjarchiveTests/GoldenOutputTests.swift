import Foundation
import TestSupport
import Testing

@testable import mjarchive

/// Command output pinned by golden files in `Golden/`: `--help` of every command, and what `show`, `search`,
/// `lineage`, `stats` and `verify` print for a fixed archive (the gateway samples, imported).
///
/// A change of output fails with a unified diff. To accept it, re-record and review the files' diff:
/// `MJARCHIVE_RECORD_GOLDEN=1 swift test --filter GoldenOutputTests`.
@Suite(.serialized) struct GoldenOutputTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
  static let recording = ProcessInfo.processInfo.environment["MJARCHIVE_RECORD_GOLDEN"] == "1"
  static let commands = MJArchive.configuration.subcommands.map { $0._commandName }

  @Test(arguments: [""] + commands)
  func helpOfEveryCommand(command: String) async throws {
    let outcome = try await CommandRunner.run(command.isEmpty ? ["--help"] : [command, "--help"])
    #expect(outcome.status == 0)
    try Self.check(outcome.stdout, against: command.isEmpty ? "help.txt" : "help-\(command).txt")
  }

  @Test func readersPrintWhatTheGoldenFilesHold() async throws {
    let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-golden-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: archive) }
    let environment = ["MJARCHIVE_DIR": archive.path]
    let samples = try [
      "task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json",
      "task-imagine-failure.json", "task-variation-in-progress.json",
    ].map(SharedFixtures.sampleData).reduce(Data(), +)
    #expect(try await CommandRunner.run(["import", "-"], environment: environment, input: samples).status == 0)
    #expect(try await CommandRunner.run(["track", "1400000000000000001"], environment: environment).status == 0)
    let grid = "1320098173412546"
    let cases: [(file: String, arguments: [String])] = [
      ("show.txt", ["show", grid]), ("show-json.txt", ["show", grid, "--json"]),
      ("show-unfetched.txt", ["show", "1400000000000000001"]),
      ("search-json.txt", ["search", "cat", "--json"]), ("search.txt", ["search", "cat"]),
      ("lineage.txt", ["lineage", grid]), ("lineage-json.txt", ["lineage", grid, "--json"]),
      ("lineage-dot.txt", ["lineage", grid, "--dot"]),
      ("stats.txt", ["stats"]), ("stats-json.txt", ["stats", "--json"]), ("datasette.json", ["datasette"]),
      ("verify.txt", ["verify"]), ("verify-json.txt", ["verify", "--json"]),
    ]
    for (file, arguments) in cases {
      let outcome = try await CommandRunner.run(arguments, environment: environment)
      #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
      try Self.check(Self.stable(outcome.stdout, archive: archive), against: file)
    }
  }

  /// The output with what differs from run to run replaced: the archive's folder, its size on disk, a duration.
  static func stable(_ text: String, archive: URL) -> String {
    text.replacingOccurrences(of: archive.path, with: "$ARCHIVE")
      .replacingOccurrences(of: #""archiveBytes":\d+"#, with: #""archiveBytes":0"#, options: .regularExpression)
      .replacingOccurrences(of: #"(size on disk +)\d[^\n]*"#, with: "$1(varies)", options: .regularExpression)
      .replacingOccurrences(of: #" in \d+\.\d s;"#, with: " in (time);", options: .regularExpression)
  }

  /// Compares `output` with the golden file `name` (or records it), failing with a unified diff.
  static func check(_ output: String, against name: String) throws {
    let golden = folder.appendingPathComponent(name)
    if recording {
      try Data(output.utf8).write(to: golden)
      return
    }
    let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
    guard output != expected else { return }
    let actual = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)-\(name)")
    defer { try? FileManager.default.removeItem(at: actual) }
    try Data(output.utf8).write(to: actual)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
    process.arguments = ["-u", golden.path, actual.path]
    let diff = try ProcessOutcome.run(process, input: nil).stdout
    Issue.record(
      "\(name) differs from its golden file (re-record with MJARCHIVE_RECORD_GOLDEN=1 if intended):\n\(diff)")
  }
}
