import Foundation
import MidjourneyAPI
import Simulator
import Synchronization
import TestSupport
import Testing

/// `search`, `show` and `export-gallery` while a `sync` writes, and a second `sync` meanwhile: readers
/// never wait for the writer or see part of a task; the second sync is turned away by the lock.
@Suite struct ReadersDuringSyncTests {
  @Test func readersWorkWhileASyncWritesAndASecondSyncIsTurnedAway() async throws {
    var configuration = SimulatorConfiguration(apiKey: SimulatedGateway.key, taskSeconds: 0, imageSize: .small)
    configuration.latencySeconds = 0.01
    try await SimulatedGateway.run(configuration) { environment, simulator in
      let ids = simulator.seedFinishedTasks(count: 600, distinctImages: 16)
      #expect(try await CommandRunner.run(["track"] + ids, environment: environment).status == 0)
      let gallery = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-rds-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: gallery) }

      let finished = Flag()
      let sync = Task {
        defer { finished.raise() }
        return try await CommandRunner.run(["sync", "--rate", "0", "--concurrency", "2"], environment: environment)
      }
      var readsDuringSync = 0
      var secondSync: CommandRunner.Outcome?
      var failures: [String] = []
      // Until the sync is done: search, show every task it found (each whole: its buttons as in its
      // JSON), export a gallery; and once, a second sync.
      while !finished.isRaised {
        let search = try await CommandRunner.run(["search", "fox", "--limit", "5", "--json"], environment: environment)
        if search.status != 0 { failures.append("search: \(search.stderr)") }
        for line in search.stdout.split(separator: "\n") {
          let hit = try JSONParser.parse(Data(line.utf8))
          let id = try #require(hit["id"]?.stringValue)
          // A whole task: its row, its parameters and all nine buttons, stored in one transaction.
          let shown = try await CommandRunner.run(["show", id], environment: environment)
          let buttons = shown.stdout.split(separator: "\n").filter { $0.contains("MJ::JOB::") }.count
          if shown.status != 0 || !shown.stdout.contains("  parameters    --ar 1:1") || buttons != 9 {
            failures.append("show \(id): \(shown.status) \(buttons) buttons \(shown.stderr)")
          }
        }
        let export = try await CommandRunner.run(["export-gallery", gallery.path], environment: environment)
        if export.status != 0 { failures.append("export-gallery: \(export.stderr)") }
        if secondSync == nil { secondSync = try await CommandRunner.run(["sync"], environment: environment) }
        if !finished.isRaised { readsDuringSync += 1 }
      }
      let first = try await sync.value
      #expect(first.status == 0, "\(first.stderr)")
      #expect(failures.isEmpty, "\(failures)")
      #expect(readsDuringSync >= 1)
      #expect(secondSync?.status == 4)
      #expect(secondSync?.stderr.contains("another sync is running on this archive") == true)
      let count = try await CommandRunner.run(["search", "--limit", "1000", "--json"], environment: environment)
      #expect(count.stdout.split(separator: "\n").count == 600)
    }
  }

  /// Set once, read from any task.
  final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
  }
}
