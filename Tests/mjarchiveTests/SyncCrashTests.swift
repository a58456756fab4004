import ArchiveStore
import Foundation
import GRDB
import GatewayHTTP
import GridImage
import MidjourneyAPI
import Simulator
import TestSupport
import Testing

/// SIGKILL the sync process at 20 points over its work; after each the archive is consistent, and a
/// last sync completes it with every image byte-identical to what the gateway served.
@Suite struct SyncCrashTests {
  static let key = "sk-crash-0123456789abcdefghijklmnop"

  @Test func killedSyncsLeaveAConsistentArchiveAndTheNextOneCompletesIt() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-crash-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = SimulatorConfiguration(
      apiKey: Self.key, taskSeconds: 0, imageSize: SimulatedImageSize(parsing: "384x384") ?? .small)
    configuration.latencySeconds = 0.015
    configuration.queueCapacity = 1_000
    try await SimulatorServer.withRunning(configuration) { server in
      let transport = AsyncHTTPClientTransport()
      defer { Task { await transport.shutdown() } }
      let client = GatewayClient(
        configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: Self.key, mode: .fast),
        transport: transport)
      var ids: [String] = []
      for index in 0..<40 { ids.append(try await client.imagine(prompt: "fox \(index)").taskId) }
      try ArchiveStore(directory: folder).track(ids)
      let environment = ["MJ_BASE_URL": server.baseURL, "MJ_API_KEY": Self.key, "MJARCHIVE_DIR": folder.path]
      var killedMidRun = 0
      var progressSeen: [(tasks: Int, originals: Int, quadrants: Int)] = []
      // Spread over the work: the first kills land while tasks are fetched and stored, later ones in
      // downloads and splits. A kill that found no progress since the last one waits longer next time,
      // so a slow or busy machine still moves through every phase; a run that finished before its kill
      // makes the next wait shorter, so a fast machine keeps killing mid-run.
      var delay = 40.0
      var lastProgress = -1
      for _ in 0..<20 {
        let status = try await Self.runAndKill(
          ["sync", "--rate", "0", "--concurrency", "2"], environment: environment, afterMilliseconds: Int(delay))
        if status == SIGKILL { killedMidRun += 1 }
        let progress = try Self.checkConsistent(folder)
        progressSeen.append(progress)
        let total = progress.tasks + progress.originals + progress.quadrants
        if status != SIGKILL {
          delay *= 0.6
        } else {
          delay = total == lastProgress ? delay * 1.5 : delay + 15
        }
        lastProgress = total
      }
      #expect(killedMidRun >= 15)
      print("kill points (tasks, originals, quadrants):", progressSeen)
      // Kills landed before all tasks were stored, and between the first and the last image.
      #expect(progressSeen.contains { $0.tasks < ids.count })
      #expect(progressSeen.contains { $0.originals > 0 && $0.originals < ids.count })
      let final = try await CommandRunner.run(["sync", "--rate", "0", "--summary"], environment: environment)
      #expect(final.status == 0, "\(final.stderr)")
      _ = try Self.checkConsistent(folder)
      let queue = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path)
      defer { try? queue.close() }
      // Every killed run that had recorded itself is marked interrupted (a kill before that leaves no row).
      let (interrupted, running) = try await queue.read { db in
        (
          try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_runs WHERE status = 'interrupted'") ?? 0,
          try Int.fetchOne(db, sql: "SELECT count(*) FROM sync_runs WHERE status = 'running'") ?? 0
        )
      }
      #expect(interrupted >= 5)
      #expect(running == 0)
      for id in ids {
        let rows = try await queue.read {
          try Row.fetchAll($0, sql: "SELECT kind, path FROM images WHERE task_id = ?", arguments: [id])
        }
        #expect(rows.filter { $0["kind"] == "quadrant" }.count == 4, "task \(id)")
        let original = try #require(rows.first { $0["kind"] == "original" })
        let task = try await client.fetch(id: id)
        let link = try #require(task.imageUrl)
        let url = try #require(URL(string: link))
        let served = try await transport.perform(TransportRequest(method: "GET", url: url, maximumBodyBytes: 64 << 20))
        #expect(
          try Data(contentsOf: folder.appendingPathComponent(original["path"] as String)) == served.body, "task \(id)")
      }
      let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.appendingPathComponent("images").path)
        .filter { $0.hasSuffix(".tmp") }
      #expect(leftovers.isEmpty)
    }
  }

  /// Regression: killed during `verify --repair`, an archive lost image rows and `verify` did not see it.
  ///
  /// 6,237 of 6,300 rows were lost, and `verify` then said there was nothing wrong. Whatever the moment of the kill, a clean `verify` now means every image is
  /// there, and a last repair completes the archive and removes the copies it parked.
  @Test func killedRepairsNeverHideWhatIsMissing() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-crash-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0, imageSize: .small)
    configuration.latencySeconds = 0.05
    try await SimulatorServer.withRunning(configuration) { server in
      let environment = ["MJ_BASE_URL": server.baseURL, "MJ_API_KEY": Self.key, "MJARCHIVE_DIR": folder.path]
      for index in 0..<10 {
        let made = try await CommandRunner.run(["imagine", "owl \(index)"], environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
      }
      #expect(try await CommandRunner.run(["sync", "--rate", "0"], environment: environment).status == 0)
      let queue = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path)
      defer { try? queue.close() }
      let complete = try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM images") ?? 0 }
      #expect(complete == 10 * 9)
      var delay = 60.0
      var killed = 0
      for _ in 0..<8 {
        // Damage every original again, then kill the repair somewhere in its work.
        for path in try await queue.read({
          try String.fetchAll($0, sql: "SELECT path FROM images WHERE kind = 'original'")
        }) {
          let url = folder.appendingPathComponent(path)
          var bytes = try Data(contentsOf: url)
          bytes[bytes.count / 2] ^= 0xFF
          try bytes.write(to: url)
        }
        let status = try await Self.runAndKill(
          ["verify", "--repair"], environment: environment, afterMilliseconds: Int(delay))
        delay = status == SIGKILL ? delay + 80 : delay * 0.5
        if status == SIGKILL { killed += 1 }
        let verified = try await CommandRunner.run(["verify"], environment: environment)
        let rows = try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM images") ?? 0 }
        if verified.status == 0 { #expect(rows == complete, "verify said clean with \(rows) of \(complete) rows") }
        let repaired = try await CommandRunner.run(["verify", "--repair"], environment: environment)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try await CommandRunner.run(["verify"], environment: environment).status == 0)
        #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM images") ?? 0 } == complete)
        let damaged = folder.appendingPathComponent("images/damaged").path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: damaged)) ?? []).isEmpty)
      }
      #expect(killed >= 4)
    }
  }

  static func runAndKill(
    _ arguments: [String], environment: [String: String], afterMilliseconds milliseconds: Int
  ) async throws -> Int32 {
    let process = try CommandRunner.launch(arguments, environment: environment)
    try await Task.sleep(for: .milliseconds(milliseconds))
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal ? process.terminationStatus : -1
  }

  /// The invariants that must hold after any kill: the database is intact, every row's file exists,
  /// every file under a real name is whole (originals match their SHA-256 name, PNGs decode).
  /// - Returns: How far the archive is: tasks stored, originals and quadrants recorded.
  @discardableResult
  private static func checkConsistent(_ folder: URL) throws -> (tasks: Int, originals: Int, quadrants: Int) {
    let queue = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path)
    defer { try? queue.close() }
    #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    let paths = try queue.read { try String.fetchAll($0, sql: "SELECT path FROM images") }
    for path in paths {
      #expect(
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "row without file: \(path)")
    }
    let progress = try queue.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT count(*) FROM tasks") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM images WHERE kind = 'original'") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM images WHERE kind = 'quadrant'") ?? 0
      )
    }
    let images = folder.appendingPathComponent("images")
    guard FileManager.default.fileExists(atPath: images.path) else { return progress }
    for path in try FileManager.default.subpathsOfDirectory(atPath: images.path) where path.hasSuffix(".png") {
      let name = URL(fileURLWithPath: path).lastPathComponent
      guard !name.hasPrefix(".") else { continue }  // a temporary file, removed by the next run
      let file = images.appendingPathComponent(path)
      if path.hasPrefix("originals/") {
        let data = try Data(contentsOf: file)
        #expect(Self.sha256Hex(data) == String(name.dropLast(4)), "partial original: \(path)")
      } else {
        let reader = try PNGReader(path: file.path)
        _ = try reader.readImage()
      }
    }
    return progress
  }

  private static func sha256Hex(_ data: Data) -> String {
    let output = try? run("/usr/bin/sha256sum", ["-"], input: data)
    return String(output?.prefix(64) ?? "")
  }
}
