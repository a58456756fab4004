import Foundation
import GRDB
import MidjourneyAPI
import Simulator
import Sync
import TestSupport
import Testing

/// `mjarchive sync` through the binary: quiet under cron, one summary line, exit codes, the lock.
@Suite struct SyncCommandTests {
  @Test func syncIsQuietAndSummarises() async throws {
    try await SimulatedGateway.run { environment, simulator in
      let imagine = try await CommandRunner.run(["imagine", "red fox"], environment: environment)
      #expect(imagine.status == 0, "\(imagine.stderr)")
      simulator.clock.advance(by: 1)  // the 0.3 s task is finished, without waiting for it
      let log = try #require(environment["MJARCHIVE_DIR"]) + ".log"
      defer { try? FileManager.default.removeItem(atPath: log) }
      let quiet = try await CommandRunner.run(["sync", "--log-file", log], environment: environment)
      #expect(quiet.status == 0, "\(quiet.stderr)")
      #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
      let logged = try String(contentsOfFile: log, encoding: .utf8)
      let taskId = try #require(simulator.taskIds.first)
      #expect(logged.contains(" info sync started run=1"))
      #expect(logged.contains(" info downloaded bytes="))
      #expect(logged.contains("task=\(taskId)"))
      #expect(logged.contains(" info sync finished "))
      #expect(!logged.contains(SimulatedGateway.key))
      let again = try await CommandRunner.run(["sync", "--summary"], environment: environment)
      #expect(again.stdout == "synced: 0 tasks fetched (0 changed), 0 images (Zero KB), 0 failed\n")
      let search = try await CommandRunner.run(["search", "fox", "--has-image", "--json"], environment: environment)
      #expect(search.stdout.split(separator: "\n").count == 1)
      let stats = try await CommandRunner.run(["stats"], environment: environment)
      #expect(stats.stdout.contains("Z done: 1 tasks, 1 images ("))
      #expect(stats.stdout.contains("last syncs     "))
      let json = try JSONParser.parse(
        Data(try await CommandRunner.run(["stats", "--json"], environment: environment).stdout.utf8))
      #expect(json["lastSyncs"]?.arrayValue?.count == 2)
    }
  }

  /// The actions of the tasks whose original the archive holds, sorted.
  private static func archivedActions(_ environment: [String: String]) throws -> [String] {
    let database = try #require(environment["MJARCHIVE_DIR"]) + "/archive.sqlite"
    let queue = try DatabaseQueue(path: database)
    defer { try? queue.close() }
    return try queue.read { db in
      try String.fetchAll(
        db, sql: "SELECT t.action FROM images i JOIN tasks t ON t.id = i.task_id WHERE i.kind = 'original' ORDER BY 1")
    }
  }

  @Test func onlyUpscalesIsRememberedAndVerifyDoesNotCallTheGridsMissing() async throws {
    try await SimulatedGateway.run { environment, _ in
      let grid = try await CommandRunner.run(
        ["imagine", "a red fox", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      let gridId = try #require(try JSONParser.parse(Data(grid.stdout.utf8))["task"]?["id"]?.stringValue)
      let upscale = try await CommandRunner.run(
        ["action", gridId, "U2", "--wait", "--poll-interval", "0.1"], environment: environment)
      #expect(upscale.status == 0, "\(upscale.stderr)")

      let first = try await CommandRunner.run(["sync", "--only", "upscales"], environment: environment)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(try Self.archivedActions(environment) == ["UPSCALE"])
      let verify = try await CommandRunner.run(["verify"], environment: environment)
      #expect(verify.status == 0, "\(verify.stdout)")

      // Remembered: a later run without the option (cron's) leaves the new grid alone too.
      let another = try await CommandRunner.run(
        ["imagine", "a blue heron", "--wait", "--poll-interval", "0.1"], environment: environment)
      #expect(another.status == 0)
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      #expect(try Self.archivedActions(environment) == ["UPSCALE"])

      #expect(try await CommandRunner.run(["sync", "--only", "all"], environment: environment).status == 0)
      #expect(try Self.archivedActions(environment) == ["IMAGINE", "IMAGINE", "UPSCALE"])
      let wrong = try await CommandRunner.run(["sync", "--only", "everything"], environment: environment)
      #expect(wrong.status == 2 && wrong.stderr.contains("--only"))
    }
  }

  /// `sync --no-quadrants` is remembered: cron's plain sync keeps the next grid whole too, until `--quadrants`;
  /// `export-files --kind quadrants` cuts them meanwhile.
  @Test func noQuadrantsIsRememberedAndExportCutsThem() async throws {
    try await SimulatedGateway.run { environment, _ in
      let quadrantRows = {
        let queue = try DatabaseQueue(path: try #require(environment["MJARCHIVE_DIR"]) + "/archive.sqlite")
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM images WHERE kind = 'quadrant'") ?? -1 }
      }
      for prompt in ["a lighthouse", "a second lighthouse"] {
        let imagine = try await CommandRunner.run(
          ["imagine", prompt, "--wait", "--poll-interval", "0.1"], environment: environment)
        #expect(imagine.status == 0, "\(imagine.stderr)")
        let arguments = prompt == "a lighthouse" ? ["sync", "--no-quadrants"] : ["sync"]
        #expect(try await CommandRunner.run(arguments, environment: environment).status == 0)
        #expect(try quadrantRows() == 0)
      }
      let folder = try #require(environment["MJARCHIVE_DIR"]) + "-files"
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let export = try await CommandRunner.run(
        ["export-files", folder, "--kind", "quadrants"], environment: environment)
      #expect(
        export.stdout == "8 files: 8 with metadata, 0 linked, 0 copied, 0 unchanged, 0 removed\n", "\(export.stderr)")
      #expect(try await CommandRunner.run(["sync", "--quadrants"], environment: environment).status == 0)
      #expect(try quadrantRows() == 8)
    }
  }

  /// `sync --seeds` asks for each new grid's seed (and remembers to), `show` prints it and `search --seed` finds it.
  @Test func seedsAreAskedForShownAndSearched() async throws {
    try await SimulatedGateway.run { environment, simulator in
      let grid = try await CommandRunner.run(
        ["imagine", "a quiet harbour", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      #expect(grid.status == 0, "\(grid.stderr)")
      let gridId = try #require(try JSONParser.parse(Data(grid.stdout.utf8))["task"]?["id"]?.stringValue)
      let first = try await CommandRunner.run(
        ["sync", "--seeds", "--seed-rate", "10", "--summary"], environment: environment)
      #expect(first.status == 0, "\(first.stderr)")
      #expect(first.stdout.hasSuffix(", 1 seed from the gateway\n"), "\(first.stdout)")
      let show = try await CommandRunner.run(["show", gridId], environment: environment)
      let line = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("  seed ") })
      let seed = try #require(line.split(separator: " ").dropFirst().first.map(String.init))
      let search = try await CommandRunner.run(["search", "--seed", seed, "--json"], environment: environment)
      #expect(search.stdout.contains(gridId), "\(search.stdout)")
      // Remembered: cron's plain sync asks for the next grid's seed too, and not again for this one.
      #expect(
        try await CommandRunner.run(
          ["imagine", "a second harbour", "--wait", "--poll-interval", "0.1"],
          environment: environment
        ).status == 0)
      let again = try await CommandRunner.run(["sync", "--summary"], environment: environment)
      #expect(again.stdout.hasSuffix(", 1 seed from the gateway\n"), "\(again.stdout)")
      #expect(simulator.receivedRequests.filter { $0.hasSuffix("/image-seed") }.count == 2)
    }
  }

  /// `sync --all-history` reads the whole list and says how far back it reaches and which links expired;
  /// `--since` leaves older tasks out, and is remembered.
  @Test func allHistorySaysHowFarBackTheListReaches() async throws {
    var configuration = SimulatorConfiguration(apiKey: SimulatedGateway.key, taskSeconds: 0, imageSize: .small)
    configuration.linkLifetimeSeconds = -3_600  // every link already expired
    try await SimulatedGateway.run(configuration) { environment, _ in
      for prompt in ["one", "two"] {
        #expect(try await CommandRunner.run(["imagine", prompt], environment: environment).status == 0)
      }
      var elsewhere = environment
      elsewhere["MJARCHIVE_DIR"] = environment["MJARCHIVE_DIR", default: ""] + "-elsewhere"
      defer { try? FileManager.default.removeItem(atPath: elsewhere["MJARCHIVE_DIR", default: ""]) }
      let all = try await CommandRunner.run(["sync", "--all-history", "--only", "upscales"], environment: elsewhere)
      #expect(all.status == 0, "\(all.stderr)")
      let lines = all.stdout.split(separator: "\n")
      #expect(lines.first?.hasPrefix("task list: 2 tasks submitted from 20") == true, "\(all.stdout)")
      #expect(lines.contains { $0.hasPrefix("  2 finished tasks' links have expired: sync refetches each") })
      var later = environment
      later["MJARCHIVE_DIR"] = environment["MJARCHIVE_DIR", default: ""] + "-later"
      defer { try? FileManager.default.removeItem(atPath: later["MJARCHIVE_DIR", default: ""]) }
      let none = try await CommandRunner.run(
        ["sync", "--all-history", "--since", "2999-01-01", "--only", "upscales"], environment: later)
      #expect(none.stdout.contains("  2 submitted before --since were left out"), "\(none.stdout)")
      let again = try await CommandRunner.run(["sync", "--all-history"], environment: later)
      #expect(again.stdout.contains("  2 submitted before --since were left out"), "\(again.stdout)")
      let stats = try await CommandRunner.run(["stats", "--json"], environment: later)
      #expect(try JSONParser.parse(Data(stats.stdout.utf8))["tasks"]?.textValue == "0", "\(stats.stdout)")
      let wrong = try await CommandRunner.run(["sync", "--since", "soon"], environment: later)
      #expect(wrong.status == 2 && wrong.stderr.contains("--since"))
    }
  }

  /// A run bounded by --max-duration stops after the items in flight, is recorded, and the next run goes on.
  @Test func maxDurationStopsTheRunAndTheNextGoesOn() async throws {
    var configuration = SimulatorConfiguration(apiKey: SimulatedGateway.key, taskSeconds: 0, imageSize: .small)
    configuration.latencySeconds = 2.5
    try await SimulatedGateway.run(configuration) { environment, simulator in
      for prompt in ["one", "two", "three", "four", "five", "six"] {
        let imagine = try await CommandRunner.run(["imagine", prompt], environment: environment)
        #expect(imagine.status == 0, "\(imagine.stderr)")
      }
      // Fetching costs two requests and each image one, one at a time: about 20 s without a limit.
      let bounded = try await CommandRunner.run(
        ["sync", "--concurrency", "1", "--download-concurrency", "1", "--max-duration", "10s", "--summary"],
        environment: environment)
      #expect(bounded.status == 0, "\(bounded.stderr)")
      #expect(bounded.stdout.hasSuffix("stopped at --max-duration 10s; the next sync goes on from here\n"))
      let stats = try await CommandRunner.run(["stats", "--json"], environment: environment)
      let json = try JSONParser.parse(Data(stats.stdout.utf8))
      #expect(json["lastSyncs"]?.arrayValue?.first?["status"]?.stringValue == "interrupted", "\(stats.stdout)")
      let rest = try await CommandRunner.run(["sync", "--concurrency", "4", "--summary"], environment: environment)
      #expect(rest.status == 0, "\(rest.stderr)")
      #expect(!rest.stdout.contains("stopped at"))
      #expect(simulator.taskIds.count == 6)
    }
  }

  @Test func aSecondSyncExitsFourNamingTheHolder() async throws {
    try await SimulatedGateway.run { environment, _ in
      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      _ = try await CommandRunner.run(["track", "1"], environment: environment)
      let lock = try SyncLock.acquire(in: archive)
      let second = try await CommandRunner.run(["sync"], environment: environment)
      withExtendedLifetime(lock) {}
      #expect(second.status == 4)
      #expect(
        second.stderr.hasPrefix("mjarchive: another sync is running on this archive (pid \(getpid()), started 20"))
      #expect(second.stderr.hasSuffix("Z): this one stops; cron will try again\n"))
    }
  }

  @Test func aRefusedKeyExitsThree() async throws {
    try await SimulatedGateway.run { environment, _ in
      _ = try await CommandRunner.run(["track", "14001934816977278"], environment: environment)
      var wrong = environment
      wrong["MJ_API_KEY"] = "sk-wrong-key"
      let outcome = try await CommandRunner.run(["sync"], environment: wrong)
      #expect(outcome.status == 3)
      #expect(outcome.stderr.contains("refused the API key"))
      #expect(!outcome.stderr.contains("sk-wrong-key"))
    }
  }
}
