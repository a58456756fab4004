import ArchiveStore
import Foundation
import GRDB
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Synchronization
import Testing

@testable import Sync

/// Sync against the simulator over real HTTP: tasks, images, quadrants, thumbnails, faults, the lock.
@Suite struct SyncEngineTests {
  static let key = syncTestKey

  @Test func syncBringsTasksImagesQuadrantsAndThumbnailsHome() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(3)
      let report = try await fixture.sync()
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(report.counts.tasksFetched == 4)
      #expect(report.counts.imagesDownloaded == 4)
      let kinds = try fixture.rows("SELECT kind, count(*) AS n FROM images GROUP BY kind ORDER BY kind")
      #expect(kinds.map { $0["kind"] as String } == ["original", "quadrant", "thumbnail"])
      #expect(kinds.map { $0["n"] as Int } == [4, 12, 13])
      for id in ids {
        let row = try #require(
          try fixture.rows("SELECT path, sha256 FROM images WHERE task_id = '\(id)' AND kind = 'original'").first)
        let file = fixture.store.directory.appendingPathComponent(row["path"] as String)
        #expect(try Data(contentsOf: file) == (try await fixture.servedImage(id)))
        #expect(try ArchiveFiles.digest(file).sha == row["sha256"] as String)
      }
      for row in try fixture.rows("SELECT path FROM images") {
        #expect(
          FileManager.default.fileExists(
            atPath: fixture.store.directory.appendingPathComponent(row["path"] as String).path))
      }
      // In step: a second run costs no task request and downloads nothing.
      let before = fixture.gateway.receivedRequests.count
      let again = try await fixture.sync()
      #expect(again.counts.tasksFetched == 0)
      #expect(again.counts.imagesDownloaded == 0)
      #expect(fixture.gateway.receivedRequests.count == before)
      let runs = try fixture.rows("SELECT status, images_downloaded FROM sync_runs ORDER BY id")
      #expect(runs.map { $0["status"] as String } == ["done", "done"])
      #expect(runs.map { $0["images_downloaded"] as Int } == [4, 0])
    }
  }

  /// `--no-quadrants`: grids stay whole with thumbnails of the whole grid, later runs leave them be, verify finds
  /// nothing missing, and turning quadrants on again splits them.
  @Test func gridsKeptWholeGetThumbnailsAndLaterQuadrants() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(2)
      var whole = SyncFixture.fast
      whole.quadrants = false
      #expect(try await fixture.sync(whole).failures.isEmpty)
      let kinds = { try fixture.rows("SELECT kind, count(*) AS n FROM images GROUP BY kind ORDER BY kind") }
      #expect(try kinds().map { $0["kind"] as String } == ["original", "thumbnail"])
      #expect(try kinds().map { $0["n"] as Int } == [3, 3])
      let stamp = try fixture.rows("SELECT max(created_at) AS t FROM images")[0]["t"] as Int64
      #expect(try await fixture.sync(whole).failures.isEmpty)
      #expect(try fixture.rows("SELECT max(created_at) AS t FROM images")[0]["t"] as Int64 == stamp)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
      #expect(try await fixture.sync().failures.isEmpty)
      #expect(try kinds().map { $0["n"] as Int } == [3, 8, 11])
    }
  }

  @Test func faultsAreRetriedUntilEverythingIsHome() async throws {
    var configuration = SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0, imageSize: .small)
    try await withSyncFixture(configuration) { fixture in
      let ids = try await fixture.makeTasks(8)
      configuration.faults = FaultPlan()
      fixture.gateway.inject(.htmlError(status: 502), on: .list)
      fixture.gateway.inject(.truncatedJSON, on: .list)
      fixture.gateway.inject(.rateLimited(retryAfter: 0), on: .list)
      for _ in 0..<3 { fixture.gateway.inject(.truncatedBody, on: .image) }
      fixture.gateway.inject(.htmlError(status: 500), on: .image)
      var runs = 0
      var report = try await fixture.sync()
      runs += 1
      while !report.failures.isEmpty && runs < 5 {
        report = try await fixture.sync()
        runs += 1
      }
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(runs > 1)
      for id in ids {
        let row = try #require(
          try fixture.rows("SELECT path FROM images WHERE task_id = '\(id)' AND kind = 'original'").first)
        #expect(
          try Data(contentsOf: fixture.store.directory.appendingPathComponent(row["path"] as String))
            == (try await fixture.servedImage(id)))
      }
      let leftovers = try FileManager.default.subpathsOfDirectory(
        atPath: fixture.store.directory.appendingPathComponent("images").path
      )
      .filter { $0.hasSuffix(".tmp") }
      #expect(leftovers.isEmpty)
    }
  }

  /// A list entry that is not a usable task is reported, never silently dropped.
  @Test func anUnreadableListEntryIsReported() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(2)
      fixture.gateway.inject(.hostileListEntry, on: .list)
      let report = try await fixture.sync()
      #expect(report.failures.contains { $0.reason.hasPrefix("the gateway listed it in a form that cannot be read") })
      #expect(report.failures.count == 2)  // the entry, and the task it should have been (not returned)
      let again = try await fixture.sync()
      #expect(again.failures.isEmpty)
      #expect(try fixture.rows("SELECT id FROM tasks").count == ids.count)
    }
  }

  /// Regression: asked for one task, a gateway answering with an archived one (now FAILURE, with a new prompt)
  /// replaced it, so `show --json` no longer gave the bytes first archived.
  @Test func aTaskNobodyAskedForNeverReplacesAnArchivedOne() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let archived = try #require(try fixture.store.details(id: ids[0]).task)
      let asked = try await fixture.client.imagine(prompt: "asked").taskId
      try fixture.store.track([asked], source: "cli")
      let planted = #"{"id":"\#(ids[0])","action":"IMAGINE","status":"FAILURE","prompt":"planted"}"#
      fixture.gateway.inject(.replacedBody(Data("[\(planted)]".utf8)), on: .list)
      let report = try await fixture.sync()
      #expect(report.failures.contains { $0.taskId == ids[0] && $0.reason.contains("which was not asked for") })
      #expect(report.failures.contains { $0.taskId == asked })
      #expect(try fixture.store.details(id: ids[0]).task?.raw == archived.raw)
      #expect(try fixture.rows("SELECT count(*) AS n FROM task_history").first?["n"] == 0)
      // The next run asks again and gets the real answer.
      #expect(try await fixture.sync().failures.isEmpty)
      #expect(try fixture.store.details(id: asked).task != nil)
    }
  }

  /// Regression: an image cut short behind a matching length, or a PNG signature padded with zeros, was kept as
  /// the original for ever (the next sync said 0 failed and verify found nothing).
  @Test func aCutOrPaddedImageIsNotKeptAndTheNextRunBringsItHome() async throws {
    try await withSyncFixture { fixture in
      let first = try await fixture.client.imagine(prompt: "cut").taskId
      let second = try await fixture.client.imagine(prompt: "padded").taskId
      try fixture.store.track([first, second], source: "cli")
      let image = try await fixture.servedImage(first)
      fixture.gateway.inject(.replacedBody(image.prefix(100)), on: .image)
      fixture.gateway.inject(.replacedBody(image.prefix(8) + Data(count: 200_000)), on: .image)
      let report = try await fixture.sync()
      #expect(report.failures.count == 2, "\(report.failures)")
      #expect(report.failures.allSatisfy { $0.reason.hasPrefix("the image download is not a whole image") })
      #expect(try fixture.rows("SELECT count(*) AS n FROM images").first?["n"] == 0)
      let again = try await fixture.sync()
      #expect(again.failures.isEmpty, "\(again.failures)")
      #expect(again.counts.imagesDownloaded == 2)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
    }
  }

  /// Regression: a split that failed for a reason of the disk's was marked unsplittable for ever and left the
  /// quadrants renamed before the failure behind.
  @Test func aSplitThatFailsOnTheDiskIsTriedAgainWithoutDownloadingAgain() async throws {
    try await withSyncFixture { fixture in
      let id = try await fixture.client.imagine(prompt: "grid").taskId
      try fixture.store.track([id], source: "cli")
      let quadrants = fixture.store.directory.appendingPathComponent("images/quadrants")
      // A folder where the third quadrant goes: renaming onto it fails after the first two are in place.
      try FileManager.default.createDirectory(
        at: quadrants.appendingPathComponent("\(id)-3.png/inside"), withIntermediateDirectories: true)
      let report = try await fixture.sync()
      #expect(report.failures.count == 1, "\(report.failures)")
      #expect(
        try fixture.rows("SELECT kind, split FROM images").map { "\($0["kind"] as String) \($0["split"] as Int)" } == [
          "original 0"
        ])
      #expect(try FileManager.default.contentsOfDirectory(atPath: quadrants.path) == ["\(id)-3.png"])
      try FileManager.default.removeItem(at: quadrants.appendingPathComponent("\(id)-3.png"))
      let again = try await fixture.sync()
      #expect(again.failures.isEmpty, "\(again.failures)")
      #expect(again.counts.imagesDownloaded == 0)
      #expect(try fixture.rows("SELECT count(*) AS n FROM images WHERE kind = 'quadrant'").first?["n"] == 4)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
    }
  }

  /// Regression: an image sent a byte a second held the sync (and its lock) for over a minute with --timeout 10.
  @Test func anImageSlowerThanTheSlowestRateAllowedEndsAtItsDeadline() async throws {
    try await withSyncFixture { fixture in
      let id = try await fixture.client.imagine(prompt: "slow").taskId
      try fixture.store.track([id], source: "cli")
      fixture.gateway.inject(.trickle(bytes: 16, interval: 0.25), on: .image)
      var options = SyncFixture.fast
      // Long enough for the answer to begin on a machine slowed by sanitizers and a full parallel run (4 s was not,
      // once, under AddressSanitizer); the trickled image would take minutes.
      options.downloadTimeout = .seconds(10)
      let report = try await fixture.sync(options)
      // After ten seconds and a bit (the size allowance, and any time a busy machine kept this process from running).
      #expect(report.failures.count == 1, "\(report.failures)")
      let reason = report.failures.first?.reason ?? ""
      #expect(reason.hasPrefix("the image download failed: the answer was still coming after "), "\(reason)")
      #expect(reason.hasSuffix(" s, slower than allowed"), "\(reason)")
      // The next run, at the usual timeout, brings the image home.
      let next = try await fixture.sync()
      #expect(next.failures.isEmpty, "\(next.failures)")
      #expect(next.counts.imagesDownloaded == 1)
    }
  }

  /// Regression: an image answered gzip-encoded (the client asked for gzip) failed as "connection closed before the
  /// answer was complete"; images are no longer asked for compressed, API answers are still decoded.
  @Test func gzipEncodedAnswersAreReadAndImagesAreNotAskedForCompressed() async throws {
    try await withSyncFixture { fixture in
      let id = try await fixture.client.imagine(prompt: "gzip").taskId
      try fixture.store.track([id], source: "cli")
      fixture.gateway.inject(.gzipWhenAsked, on: .list)
      fixture.gateway.inject(.gzipWhenAsked, on: .image)
      let report = try await fixture.sync()
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(report.counts.imagesDownloaded == 1)
      #expect(
        try await fixture.servedImage(id)
          == (try Data(
            contentsOf: fixture.store.directory.appendingPathComponent(
              try #require(
                try fixture.rows("SELECT path FROM images WHERE kind = 'original'").first?["path"] as String?)))))
    }
  }

  /// Regression: `sync --discover` held the whole task list in memory.
  ///
  /// It failed outright above 32 MB (about 19,000 real tasks). It is streamed to a scratch file and read in batches now, up to 1 GiB, and a larger list
  /// says what to do instead.
  @Test func discoverStreamsTheTaskListAndSaysWhatToDoBeyondItsLimit() async throws {
    let configuration = SimulatorConfiguration(
      apiKey: Self.key, taskSeconds: 0, imageSize: .small, recentListLimit: 5_000)
    try await withSyncFixture(configuration) { fixture in
      let seeded = fixture.gateway.seedFinishedTasks(count: 400)
      var options = SyncFixture.fast
      options.discover = true
      options.maximumTaskListBytes = 64 << 10
      let refused = try await fixture.sync(options)
      #expect(
        refused.failures.map(\.reason) == [
          "the gateway's answer could not be read: the gateway's task list is larger than 64 KB, more than sync "
            + "--discover reads: add tasks with `mjarchive track ID…` or `mjarchive import` an export instead"
        ])
      #expect(try fixture.rows("SELECT count(*) AS n FROM tasks").first?["n"] == 0)
      #expect(SyncOptions().maximumTaskListBytes == 1 << 30)
      options.maximumTaskListBytes = 64 << 20
      options.split = false
      let report = try await fixture.sync(options)
      #expect(report.failures.isEmpty, "\(report.failures.prefix(3))")
      #expect(try fixture.rows("SELECT count(*) AS n FROM tasks").first?["n"] == seeded.count)
      #expect(
        try fixture.rows("SELECT count(*) AS n FROM known_tasks WHERE source = 'list'").first?["n"] == seeded.count)
      // Nothing of the scratch file is left in the archive.
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: fixture.store.directory.path).filter { $0.hasPrefix(".") }
          .isEmpty)
    }
  }

  @Test func anExpiredLinkIsRefreshedByRefetchingTheTask() async throws {
    let configuration = SimulatorConfiguration(
      apiKey: Self.key, taskSeconds: 0, imageSize: .small, linkLifetimeSeconds: 60)
    try await withSyncFixture(configuration) { fixture in
      let id = try await fixture.client.imagine(prompt: "fox").taskId
      try fixture.store.store(try await fixture.client.fetch(id: id))
      fixture.gateway.clock.advance(by: 3_600)
      let report = try await fixture.sync()
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(report.counts.imagesDownloaded == 1)
      // The link downloaded is the fresh one the refetch stored, not the expired one.
      let stored = try #require(try fixture.rows("SELECT source_url FROM images WHERE kind = 'original'").first)
      #expect((stored["source_url"] as String) == (try fixture.store.details(id: id).task?.imageUrl))
    }
  }

  /// Holds the running sync's task so its progress callback can cancel it.
  final class RunHandle: Sendable {
    let task = Mutex<Task<SyncReport, any Error>?>(nil)
  }

  @Test func cancellingStopsAfterTheItemsInFlightAndTheNextRunFinishes() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(12)
      var options = SyncFixture.fast
      options.concurrency = 1
      let engine = SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: options)
      let handle = RunHandle()
      let task = Task {
        try await engine.run { progress in
          if progress.phase == .downloading && progress.done == 3 { handle.task.withLock { $0?.cancel() } }
        }
      }
      handle.task.withLock { $0 = task }
      let report = try await task.value
      #expect(report.counts.imagesDownloaded < ids.count)
      #expect(report.failures.isEmpty)
      #expect(try fixture.rows("SELECT status FROM sync_runs").map { $0["status"] as String } == ["interrupted"])
      let next = try await fixture.sync()
      #expect(next.failures.isEmpty)
      #expect(report.counts.imagesDownloaded + next.counts.imagesDownloaded == ids.count)
      #expect(try fixture.rows("SELECT count(*) AS n FROM images WHERE kind = 'original'").first?["n"] == ids.count)
    }
  }

  @Test func aRefusedKeyStopsTheRunAndIsRecorded() async throws {
    try await withSyncFixture { fixture in
      try fixture.store.track(["14001934816977278"])
      let wrong = GatewayClient(
        configuration: try GatewayConfiguration(
          baseURL: fixture.client.configuration.baseURL.absoluteString, apiKey: "sk-wrong"),
        transport: fixture.transport, retryPolicy: RetryPolicy(maximumAttempts: 1, sleep: { _ in }))
      let error = await #expect(throws: SyncError.self) {
        _ = try await SyncEngine(client: wrong, transport: fixture.transport, store: fixture.store).run()
      }
      #expect(error?.exitCode == 3)
      #expect(try fixture.rows("SELECT status FROM sync_runs").map { $0["status"] as String } == ["failed"])
    }
  }

  @Test func neverMoreRequestsInFlightThanConfigured() async throws {
    var configuration = SimulatorConfiguration(
      apiKey: Self.key, taskSeconds: 0, imageSize: .small, offersListRoutes: false)
    configuration.latencySeconds = 0.02
    try await withSyncFixture(configuration) { fixture in
      try fixture.store.track(fixture.gateway.seedFinishedTasks(count: 24))
      var options = SyncFixture.fast
      options.concurrency = 3
      options.downloadConcurrency = 2
      let report = try await fixture.sync(options)
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(report.counts.imagesDownloaded == 24)
      // Three API requests and two downloads, each lane bounded on its own.
      #expect(fixture.gateway.maximumInFlight <= 5)
      #expect(fixture.gateway.maximumInFlight >= 2)
    }
  }

  @Test(arguments: [MissingTaskAnswer.notFound, .emptyBody, .noContent])
  func aTaskTheGatewayDoesNotKnowIsReportedAndTheRestStillCome(answer: MissingTaskAnswer) async throws {
    let configuration = SimulatorConfiguration(
      apiKey: syncTestKey, taskSeconds: 0, imageSize: .small, offersListRoutes: false, missingTaskAnswer: answer)
    try await withSyncFixture(configuration) { fixture in
      let ids = try await fixture.makeTasks(2)
      try fixture.store.track(["424242"])
      let report = try await fixture.sync()
      #expect(report.failures == [SyncReport.Failure(taskId: "424242", reason: "the gateway has no such task (yet)")])
      #expect(report.counts.imagesDownloaded == ids.count)
    }
  }

  @Test func anImageHostThatSaysSlowDownIsWaitedForWithinTheRun() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(3)
      fixture.gateway.inject(.rateLimited(retryAfter: 0), on: .image)
      fixture.gateway.inject(.htmlError(status: 503), on: .image)
      fixture.gateway.inject(.rateLimited(retryAfter: 0), on: .image)
      var options = SyncFixture.fast
      let waits = Mutex<[Duration]>([])
      options.downloadRetry = RetryPolicy(maximumAttempts: 4, sleep: { delay in waits.withLock { $0.append(delay) } })
      let report = try await fixture.sync(options)
      #expect(report.failures.isEmpty, "\(report.failures)")
      #expect(report.counts.imagesDownloaded == ids.count)
      #expect(waits.withLock { $0.count } == 3)
      // Retry-After: 0 is honoured as said; the 503 without one waits a backoff.
      #expect(waits.withLock { $0.filter { $0 == .zero }.count } == 2)
    }
  }

  @Test func anImageHostThatNeverStopsSayingSlowDownFailsOnlyThatTask() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(1)
      // Four attempts for each of the two tasks (an imagine and its upscale).
      for _ in 0..<8 { fixture.gateway.inject(.rateLimited(retryAfter: 0), on: .image) }
      var options = SyncFixture.fast
      options.downloadRetry = RetryPolicy(maximumAttempts: 4, sleep: { _ in })
      let report = try await fixture.sync(options)
      #expect(Set(report.failures.compactMap(\.taskId)) == Set(ids))
      #expect(Set(report.failures.map(\.reason)) == ["the image host answered HTTP 429 (slow down) every time"])
      #expect(try await fixture.sync(options).failures.isEmpty)
    }
  }

  @Test func theRateCapSpacesRequestStarts() async {
    let pacer = RequestPacer(perSecond: 200)
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<5 { await pacer.admit() }
    // Five starts at 200 a second: the fifth waits for four intervals of 5 ms.
    #expect(clock.now - start >= .milliseconds(20))
  }

  /// `listen` runs passes side by side under one hold of the lock: one must not take another's running row and
  /// temporary files for a killed run's.
  @Test func aRunBesideOwnRunsLeavesTheirRowsAndFilesAlone() async throws {
    try await withSyncFixture { fixture in
      let other = try fixture.store.beginSyncRun()
      let download = fixture.store.directory.appendingPathComponent("images/originals/.in-flight.tmp")
      try FileManager.default.createDirectory(
        at: download.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data("partial".utf8).write(to: download)
      var options = SyncFixture.fast
      options.besideOwnRuns = true
      _ = try await fixture.sync(options)
      let running = "SELECT count(*) AS n FROM sync_runs WHERE status = 'running' AND id = \(other)"
      #expect(try fixture.rows(running).first?["n"] == 1)
      #expect(FileManager.default.fileExists(atPath: download.path))
      // Taking the lock with nothing of its own running, the other is a killed run.
      try SyncEngine(client: fixture.client, transport: fixture.transport, store: fixture.store).endKilledRuns()
      #expect(try fixture.rows(running).first?["n"] == 0)
      #expect(!FileManager.default.fileExists(atPath: download.path))
    }
  }

  @Test func aSecondSyncIsRefusedWhileTheFirstHoldsTheLock() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-lock-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var first: SyncLock? = try SyncLock.acquire(in: folder)
    let error = #expect(throws: SyncError.self) { _ = try SyncLock.acquire(in: folder) }
    #expect(error?.exitCode == 4)
    #expect(error?.description.contains("pid \(getpid())") == true)
    withExtendedLifetime(first) {}
    first = nil
    #expect(throws: Never.self) { _ = try SyncLock.acquire(in: folder) }
  }

  @Test(
    arguments: [
      (
        "https://cdn.discordapp.com/attachments/1/2/a.png?ex=67cefb57&is=1&hm=2", "img.example.com",
        "https://img.example.com/attachments/1/2/a.png?ex=67cefb57&is=1&hm=2", 0x67ce_fb57
      ),
      ("http://localhost:3000/mj/image/123", nil, "https://gw.example.com/api/mj/image/123", nil),
      (
        "https://img.innk.cc/attachments/1/2/a.png", "img.example.com", "https://img.innk.cc/attachments/1/2/a.png", nil
      ),
    ] as [(String, String?, String, Int?)])
  func imageLinksAreResolved(link: String, imageHost: String?, expected: String, expiry: Int?) throws {
    let resolved = try #require(
      ImageLink(link, gateway: URL(string: "https://gw.example.com/api")!, imageHost: imageHost))
    #expect(resolved.url.absoluteString == expected)
    #expect(resolved.expiresAt == expiry)
    #expect(ImageLink("file:///etc/passwd", gateway: URL(string: "https://gw.example.com")!) == nil)
  }
}
