import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import Logging
import MidjourneyAPI
import ObjectStorage
import Sync

extension MJArchive {
  /// The `mjarchive sync` command.
  struct SyncCommand: GatewayCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Bring every known task and its images home: fetch, download, split grids, make thumbnails.",
      discussion: """
        Fetches tasks known but not fetched or not finished (all with --refresh), in batches, with bounded \
        concurrency; downloads each finished task's image through the link the gateway gave (its image \
        proxy), closest to expiry first, refetching the task once when a link has expired; splits grids \
        into images/quadrants/ and makes thumbnails. A finished, downloaded task costs no request. Quiet \
        unless something failed (a progress line on a terminal); exit 0 done, 1 some items failed (the \
        next run retries them), 3 the gateway refused the key, 4 another sync holds the lock.
        """)

    @Flag(help: "Fetch every task again, finished ones included.")
    var refresh = false

    @Flag(help: "Also read the gateway's task list, to pick up tasks made elsewhere.")
    var discover = false

    @Flag(
      help: ArgumentHelp(
        "Read the gateway's whole task list (as --discover) and say how far back it reaches and how many finished "
          + "tasks' links have expired: run it before a subscription ends."))
    var allHistory = false

    @Option(
      help: ArgumentHelp(
        "With --discover: take only tasks submitted on or after this date from the gateway's list (2026-03-01 or "
          + "ISO 8601, UTC; `all` for every one). Remembered by the archive."))
    var since: String?

    @Option(
      help: ArgumentHelp(
        "What to download: all, upscales (single images) or grids; tasks are always fetched. Remembered by the "
          + "archive, so later runs (cron) do the same until told otherwise."))
    var only: ImageSelection?

    @Flag(
      inversion: .prefixedNo,
      help: ArgumentHelp(
        "Ask the gateway for the seed of each new grid (GET /mj/task/{id}/image-seed, on gateways of the .NET "
          + "proxy line; each first ask costs the gateway a Discord /show). Remembered by the archive."))
    var seeds: Bool?

    @Option(help: "Seed requests per second, apart from --rate (0.01–10).")
    var seedRate = 0.5

    @Flag(
      inversion: .prefixedNo,
      help: ArgumentHelp(
        "Split grids into quadrants. --no-quadrants keeps grids whole with thumbnails of the whole grid (half the "
          + "disk); export-files makes quadrants when asked. Remembered by the archive."))
    var quadrants: Bool?

    @Flag(help: "Download only: do not split grids into quadrants.")
    var noSplit = false

    @Flag(help: "Print one line with what was done.")
    var summary = false

    @Option(
      help: """
        Stop after this long (90s, 14m, 2h), after the items in flight: the run is recorded and the next one goes \
        on. For cron, so a long run never holds the lock into the next one's slot.
        """)
    var maxDuration: String?

    @OptionGroup var syncRun: SyncRunOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var imageStore: ImageStoreOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard (0.01...10).contains(seedRate) else { throw ValidationError("--seed-rate must be between 0.01 and 10") }
      if let since, since != "all" {
        do {
          _ = try SearchQuery.milliseconds(from: since)
        } catch {
          throw ValidationError("--since: \(error.description)")
        }
      }
      if let maxDuration { _ = try Validation.duration(maxDuration, option: "--max-duration") }
    }

    func run() async throws {
      // Sync writes a few rows per task: a small page cache keeps a cron job small at any archive size.
      let store = try archive.open(pageCacheMegabytes: 8)
      let lock: SyncLock
      do {
        lock = try SyncLock.acquire(in: store.directory)
      } catch {
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      defer { withExtendedLifetime(lock) {} }
      var options = SyncOptions()
      try syncRun.apply(to: &options, timeout: gateway.timeout)
      options.refresh = refresh
      options.discover = discover || allHistory
      options.split = !noSplit
      try reportingStoreErrors { () throws(StoreError) in
        if let since {
          try store.rememberDiscoverSince(since == "all" ? nil : try SearchQuery.milliseconds(from: since))
        }
        if let only { try store.rememberImageSelection(only) }
        if let quadrants { try store.rememberMakesQuadrants(quadrants) }
        if let seeds { try store.rememberAsksForSeeds(seeds) }
        try options.adoptSettings(of: store)
      }
      options.seedsPerSecond = seedRate
      let limit = try maxDuration.map { try Validation.duration($0, option: "--max-duration") }
      let logger = try syncRun.logger(label: "mjarchive.sync")
      var outcome: Result<SyncReport, SyncError>?
      var interrupted = false
      let stoppedAtLimit = Locked(false)
      // Where the images go (--images) must be settled first: otherwise nothing is synced.
      try await withSyncConnection(store: store, imageStore: imageStore, options: options) {
        client, transport, options throws(GatewayError) in
        let line = SyncProgressLine()
        let engine = SyncEngine(client: client, transport: transport, store: store, options: options, logger: logger)
        let run = Task { () async -> Result<SyncReport, SyncError> in
          do throws(SyncError) {
            return .success(try await engine.run { line.draw($0) })
          } catch {
            return .failure(error)
          }
        }
        // A first signal stops the run after its current items (the run is recorded); a second exits at once.
        let trap = SignalTrap { run.cancel() }
        let timer = limit.map { limit in
          Task {
            try await Task.sleep(for: limit)
            stoppedAtLimit.withLock { $0 = true }
            run.cancel()
          }
        }
        outcome = await run.value
        timer?.cancel()
        interrupted = trap.fired
        line.finish()
      }
      switch outcome {
      case .failure(let error)?:
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      case .success(let report)?:
        for failure in report.failures {
          Console.err("mjarchive: \(failure)")
        }
        if summary {
          let counts = report.counts
          Console.out(
            "synced: \(counts.tasksFetched) tasks fetched (\(counts.tasksChanged) changed), \(counts.imagesDownloaded) images "
              + "(\(ByteCountFormatter.string(fromByteCount: Int64(counts.bytesDownloaded), countStyle: .file))), "
              + "\(counts.failed) failed"
              + (report.submitsFound > 0 ? ", \(report.submitsFound) lost submits found" : "")
              + (report.seedsRecorded > 0
                ? ", \(report.seedsRecorded) seed\(report.seedsRecorded == 1 ? "" : "s") from the gateway" : ""))
        }
        if allHistory {
          let text =
            report.discovery.map(\.text)
            ?? "task list: the gateway has none (GET /mj/task/list answered 404); only tasks whose ids the archive "
            + "knows were synced\n"
          Console.out(bytes: Data(text.utf8))
        }
        if stoppedAtLimit.withLock({ $0 }) && !interrupted {
          logger.notice("stopped at --max-duration; the next sync goes on from here")
          if summary { Console.out("stopped at --max-duration \(maxDuration ?? ""); the next sync goes on from here") }
        }
        if interrupted {
          Console.err("mjarchive: interrupted; the run is recorded, and the next sync goes on from here")
          throw ExitCode(130)
        }
        if !report.failures.isEmpty { throw ExitCode.failure }
      case nil:
        return
      }
    }
  }
}
