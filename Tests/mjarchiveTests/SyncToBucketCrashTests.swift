import Foundation
import GRDB
import GatewayHTTP
import MidjourneyAPI
import ObjectStorage
import Simulator
import TestSupport
import Testing

/// SIGKILL a sync into a bucket of a real SeaweedFS server at 10 points over its work: no row is ever without its
/// object, the next sync completes the archive, and `verify --repair` leaves no object without a row.
@Suite struct SyncToBucketCrashTests {
  /// Each row's object key and recorded size.
  private static func rows(_ folder: URL, prefix: String) throws -> [String: Int] {
    let queue = try DatabaseQueue(path: folder.appendingPathComponent("archive.sqlite").path)
    defer { try? queue.close() }
    #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    let pairs = try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT path, bytes FROM images").map {
        (prefix + ($0["path"] as String).dropFirst("images/".count), $0["bytes"] as Int)
      }
    }
    return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
  }

  /// Image rows recorded so far (0 before the archive exists), read without waiting for the writer.
  private static func imageRows(_ folder: URL) -> Int {
    let path = folder.appendingPathComponent("archive.sqlite").path
    var configuration = Configuration()
    configuration.readonly = true
    guard FileManager.default.fileExists(atPath: path),
      let queue = try? DatabaseQueue(path: path, configuration: configuration)
    else { return 0 }
    defer { try? queue.close() }
    return (try? queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM images") }).flatMap { $0 } ?? 0
  }

  @Test func killedSyncsNeverLeaveARowWithoutItsObject() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-s3crash-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = SimulatorConfiguration(
      apiKey: SyncCrashTests.key, taskSeconds: 0, imageSize: SimulatedImageSize(parsing: "384x384") ?? .small)
    configuration.latencySeconds = 0.015
    try await TestBucket.with { client, bucket in
      try await SimulatorServer.withRunning(configuration) { server in
        let transport = AsyncHTTPClientTransport()
        defer { Task { await transport.shutdown() } }
        let gateway = GatewayClient(
          configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: SyncCrashTests.key, mode: .fast),
          transport: transport)
        var ids: [String] = []
        for index in 0..<20 { ids.append(try await gateway.imagine(prompt: "heron \(index)").taskId) }
        let environment = [
          "MJ_BASE_URL": server.baseURL, "MJ_API_KEY": SyncCrashTests.key, "MJARCHIVE_DIR": folder.path,
          "AWS_ACCESS_KEY_ID": bucket.server.accessKeyID, "AWS_SECRET_ACCESS_KEY": bucket.server.secretAccessKey,
        ]
        #expect(try await CommandRunner.run(["track"] + ids, environment: environment).status == 0)
        let sync = [
          "sync", "--images", "s3://\(bucket.name)/crash", "--s3-endpoint", bucket.server.endpoint,
          "--s3-path-style", "--cache-size", "0", "--rate", "0", "--concurrency", "2",
        ]
        // Each sync is killed once the archive holds more image rows than a threshold spread over the work, so
        // every kill lands mid-run however slowly the binary starts (a sanitizer build takes seconds).
        var killed = 0
        var seen: [Int] = []
        for round in 0..<10 {
          let process = try CommandRunner.launch(sync, environment: environment)
          let threshold = 1 + 15 * round
          let deadline = ContinuousClock.now + .seconds(120)
          while process.isRunning, ContinuousClock.now < deadline, Self.imageRows(folder) < threshold {
            try await Task.sleep(for: .milliseconds(10))
          }
          if process.isRunning { kill(process.processIdentifier, SIGKILL) }
          try await withoutBlockingThePool { process.waitUntilExit() }
          if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL { killed += 1 }
          let rows = try Self.rows(folder, prefix: "crash/")
          let objects = Dictionary(
            try await client.listAll(prefix: "crash/").map { ($0.key, $0.size) },
            uniquingKeysWith: { first, _ in first })
          for (key, bytes) in rows { #expect(objects[key] == bytes, "a row without its object: \(key)") }
          seen.append(rows.count)
        }
        print("rows at each kill:", seen)
        #expect(killed >= 5)
        #expect(seen.contains { $0 > 0 && $0 < 20 * 9 })

        let final = try await CommandRunner.run(["sync", "--rate", "0"], environment: environment)
        #expect(final.status == 0, "\(final.stderr)")
        let repaired = try await CommandRunner.run(["verify", "--repair"], environment: environment)
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        let rows = try Self.rows(folder, prefix: "crash/")
        #expect(rows.count == 20 * 9)
        let objects = try await client.listAll(prefix: "crash/")
        #expect(Set(objects.map(\.key)) == Set(rows.keys), "no object without a row")
        let verified = try await CommandRunner.run(["verify", "--deep"], environment: environment)
        #expect(verified.status == 0, "\(verified.stdout)")
      }
    }
  }
}
