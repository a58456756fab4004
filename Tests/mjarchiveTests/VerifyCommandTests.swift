import Foundation
import MidjourneyAPI
import Sync
import TestSupport
import Testing

/// `mjarchive verify` through the binary: one line per problem, exit codes, `--repair`, `--json`, the lock.
@Suite struct VerifyCommandTests {
  @Test func verifyFindsDamageAndRepairFixesIt() async throws {
    try await SimulatedGateway.run { environment, _ in
      let imagine = try await CommandRunner.run(
        ["imagine", "red fox", "--wait", "--poll-interval", "0.1"], environment: environment)
      #expect(imagine.status == 0, "\(imagine.stderr)")
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      let clean = try await CommandRunner.run(["verify"], environment: environment)
      #expect(clean.status == 0, "\(clean.stderr)")
      #expect(clean.stdout.hasPrefix("checked 9 files ("))
      #expect(clean.stdout.hasSuffix("; database ok; search index ok; no problems\n"))
      #expect(clean.stderr.isEmpty)

      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      let thumbs = archive.appendingPathComponent("images/thumbs")
      let thumbnail = try #require(try FileManager.default.contentsOfDirectory(atPath: thumbs.path).sorted().first)
      try FileManager.default.removeItem(at: thumbs.appendingPathComponent(thumbnail))
      try Data("<script>".utf8).write(to: thumbs.appendingPathComponent("x\nstray.png"))
      let found = try await CommandRunner.run(["verify"], environment: environment)
      #expect(found.status == 1)
      let lines = found.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 4)
      #expect(
        lines.contains { $0.hasPrefix("missing: images/thumbs/\(thumbnail) (task ") && $0.hasSuffix("): no such file") }
      )
      // A hostile file name stays on its own line.
      #expect(lines.contains("stray: images/thumbs/x stray.png: no row names this file"))
      #expect(lines[2].hasSuffix("; 2 problems (1 missing, 1 stray)"))
      #expect(lines[3] == "`mjarchive verify --repair` repairs them")

      let json = try JSONParser.parse(
        Data(try await CommandRunner.run(["verify", "--json"], environment: environment).stdout.utf8))
      #expect(json["clean"] == .bool(false))
      #expect(json["problems"]?.arrayValue?.count == 2)

      let repaired = try await CommandRunner.run(["verify", "--repair"], environment: environment)
      #expect(repaired.status == 0, "\(repaired.stderr)")
      #expect(repaired.stdout.hasSuffix("repair: 1 task repaired, 1 stray removed\n"))
      let after = try await CommandRunner.run(["verify"], environment: environment)
      #expect(after.status == 0)
      #expect(after.stdout.hasSuffix("no problems\n"))
    }
  }

  @Test func verifyWaitsForNoSyncAndSaysWhy() async throws {
    try await SimulatedGateway.run { environment, _ in
      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      _ = try await CommandRunner.run(["track", "1"], environment: environment)
      let lock = try SyncLock.acquire(in: archive)
      let outcome = try await CommandRunner.run(["verify"], environment: environment)
      withExtendedLifetime(lock) {}
      #expect(outcome.status == 4)
      #expect(outcome.stderr.hasPrefix("mjarchive: a sync is running on this archive (pid \(getpid())"))
      #expect(outcome.stderr.hasSuffix("): verify after it ends\n"))
    }
  }
}
