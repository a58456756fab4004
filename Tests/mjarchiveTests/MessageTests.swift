import Foundation
import MidjourneyAPI
import Simulator
import TestSupport
import Testing

/// Exit codes and one-line messages for the mistakes and inputs the hostile test found.
@Suite struct MessageTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-messages-\(UUID().uuidString)")
  var environment: [String: String] { ["MJARCHIVE_DIR": root.appendingPathComponent("archive").path] }

  static let sample = SharedFixtures.sample("task-imagine-success.json")

  private func importSample() async throws {
    let imported = try await CommandRunner.run(["import", Self.sample.path], environment: environment)
    #expect(imported.status == 0, "\(imported.stderr)")
  }

  /// Regression: `--since notadate` exited 1, `--limit -1` said "Missing value", `--version` clashed.
  @Test func searchUsageMistakesExitTwo() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await importSample()
    let date = try await CommandRunner.run(["search", "cat", "--since", "notadate"], environment: environment)
    #expect(date.status == 2)
    #expect(date.stderr.contains("--since: \"notadate\" is not a date like 2026-03-01"))
    let limit = try await CommandRunner.run(["search", "cat", "--limit", "-1"], environment: environment)
    #expect(limit.status == 2)
    #expect(limit.stderr.contains("--limit must be between 1 and 100000"))
    let version = try await CommandRunner.run(["search", "--mj-version", "6.1", "--json"], environment: environment)
    #expect(version.status == 0)
    #expect(try JSONParser.parse(Data(version.stdout.utf8))["id"] == .string("1320098173412546"))
    let global = try await CommandRunner.run(["--version"])
    #expect(global.stdout == "0.1.0\n")
  }

  /// Regression: 8,000 repeated words cost 15 s of CPU.
  @Test func aHugeQueryIsRefusedAtOnce() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await importSample()
    let words = Array(repeating: "cat", count: 8_000).joined(separator: " ")
    let outcome = try await CommandRunner.run(["search", words], environment: environment)
    #expect(outcome.status == 2)
    #expect(
      outcome.stderr
        == "mjarchive: the query is 31999 bytes long; at most 2000 are allowed: shorten it (search for the words that matter)\n"
    )
    let many = try await CommandRunner.run(
      ["search", Array(repeating: "a", count: 101).joined(separator: " ")], environment: environment)
    #expect(many.status == 2)
    #expect(many.stderr.contains("the query has 101 terms; at most 100 are allowed"))
    let cjk = try await CommandRunner.run(["search", String(repeating: "猫", count: 101)], environment: environment)
    #expect(cjk.status == 2)
    let fine = try await CommandRunner.run(
      ["search", Array(repeating: "cat", count: 100).joined(separator: " ")], environment: environment)
    #expect(fine.status == 0)
  }

  /// Regression: dates printed in local time while --since/--until read UTC.
  @Test func datesArePrintedInUTC() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await importSample()
    var zoned = environment
    zoned["TZ"] = "Asia/Tokyo"
    let search = try await CommandRunner.run(["search", "cat"], environment: zoned)
    #expect(search.stdout.contains("2025-03-09 14:46Z"))
    let show = try await CommandRunner.run(["show", "1320098173412546"], environment: zoned)
    #expect(show.stdout.contains("submitted     2025-03-09 14:46Z"))
  }

  /// Regression: a folder, a missing file, /dev/null and `-` all said "it cannot be read"; pipes failed.
  @Test func importNamesWhyAndReadsPipes() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let cases: [(String, String)] = [
      (root.path, "it is a folder, not a file"),
      (root.appendingPathComponent("none.json").path, "there is no such file"),
      ("/dev/null", "it is empty: there is nothing to import"),
    ]
    for (path, reason) in cases {
      let outcome = try await CommandRunner.run(["import", path], environment: environment)
      #expect(outcome.status == 1)
      #expect(outcome.stderr == "mjarchive: cannot import \(path): \(reason)\n")
    }
    let empty = try await CommandRunner.run(["import", "-"], environment: environment, input: Data())
    #expect(empty.stderr == "mjarchive: cannot import standard input: it is empty: there is nothing to import\n")
    let sample = try Data(contentsOf: Self.sample)
    let piped = try await CommandRunner.run(
      ["import", "-"], environment: environment, input: Data("[".utf8) + sample + Data("]".utf8))
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdout == "imported 1 task: 1 new, 0 updated, 0 unchanged\n")
    let device = try await CommandRunner.run(["import", "/dev/stdin"], environment: environment, input: sample)
    #expect(device.stdout == "imported 1 task: 0 new, 0 updated, 1 unchanged\n")
  }

  /// Regression: a split into an unwritable place named no path, and a failed split left its --out folder.
  @Test func splitNamesTheFolderAndLeavesNoneBehind() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let png = SharedFixtures.png("basn2c08.png")
    let underFile = try await CommandRunner.run(["split", png.path, "--out", png.path + "/x"])
    #expect(underFile.status == 1)
    #expect(underFile.stderr.contains("cannot write \(png.path)/x: \(png.path) is a file, not a folder"))
    let broken = root.appendingPathComponent("broken.png")
    try Data(contentsOf: png).prefix(100).write(to: broken)
    let out = root.appendingPathComponent("new/deeper")
    let failed = try await CommandRunner.run(["split", broken.path, "--out", out.path])
    #expect(failed.status == 1)
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("new").path))
  }

  /// Regression: a refused proxy connection said "check MJ_BASE_URL".
  @Test func aRefusedProxyIsNamed() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let outcome = try await CommandRunner.run(
      ["imagine", "cat", "--proxy", "http://127.0.0.1:1"],
      environment: environment.merging(["MJ_BASE_URL": "http://gateway.invalid"]) { $1 })
    #expect(outcome.status == 1)
    #expect(
      outcome.stderr.contains("could not connect to the HTTP proxy 127.0.0.1:1 (connection refused): check --proxy"))
    #expect(!outcome.stderr.contains("MJ_BASE_URL"))
  }

  /// Regression: a key file readable by others gave no warning.
  @Test func anExposedKeyFileIsWarnedAbout() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await SimulatorServer.withRunning(SimulatorConfiguration(taskSeconds: 0, imageSize: .small)) { server in
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      let keyFile = root.appendingPathComponent("key")
      try Data("sk-exposed-0123456789abcdefghij\n".utf8).write(to: keyFile)
      chmod(keyFile.path, 0o644)
      var gateway = environment
      gateway["MJ_BASE_URL"] = server.baseURL
      let exposed = try await CommandRunner.run(
        ["shorten", "a cat", "--api-key-file", keyFile.path], environment: gateway)
      #expect(exposed.status == 0, "\(exposed.stderr)")
      #expect(exposed.stderr.contains("can be read by other users (mode 644): run chmod 600 \(keyFile.path)"))
      #expect(!(exposed.stdout + exposed.stderr).contains("sk-exposed"))
      chmod(keyFile.path, 0o600)
      let private_ = try await CommandRunner.run(
        ["shorten", "a cat", "--api-key-file", keyFile.path], environment: gateway)
      #expect(private_.stderr.isEmpty)
    }
  }
}
