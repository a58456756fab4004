import ArchiveStore
import Basics
import Foundation
import GridImage
import Logging
import MidjourneyAPI

/// Brings every task the archive knows of, and its images, home.
///
/// Works out what needs work from the store (a finished, downloaded, split task costs nothing),
/// fetches tasks in batches of 100 with bounded concurrency and stores each batch as it arrives,
/// then downloads each new image (links closest to expiry first), splits grids and makes
/// thumbnails, recording every file. One item's failure never stops the others; the next run
/// retries it. The caller holds `SyncLock`.
public struct SyncEngine: Sendable {
  public let client: GatewayClient
  public let transport: any HTTPTransport
  public let store: ArchiveStore
  public let options: SyncOptions
  /// Where events go (one line each with the task id; never the key); silent by default.
  public let logger: Logger
  /// Paces API requests: one for every run of this engine and of those `with(options:)` makes, so runs going on
  /// at once stay within `requestsPerSecond` together.
  let pacer: RequestPacer
  /// Runs splits and thumbnails, one per core, shared the same way so overlapping runs never oversubscribe.
  let cpu: CPUWorkQueue

  public init(
    client: GatewayClient, transport: any HTTPTransport, store: ArchiveStore, options: SyncOptions = SyncOptions(),
    logger: Logger = Logger(label: "mjarchive.sync", factory: { _ in SwiftLogNoOpLogHandler() })
  ) {
    self.client = client
    self.transport = transport
    self.store = store
    self.options = options
    self.logger = logger
    pacer = RequestPacer(perSecond: options.requestsPerSecond)
    // One split per core: a split decodes and makes thumbnails on one thread and encodes on two, so
    // fewer would leave cores idle, more would only queue up memory.
    cpu = CPUWorkQueue(width: ProcessInfo.processInfo.activeProcessorCount)
  }

  private init(_ engine: SyncEngine, options: SyncOptions) {
    client = engine.client
    transport = engine.transport
    store = engine.store
    self.options = options
    logger = engine.logger
    pacer = engine.pacer
    cpu = engine.cpu
  }

  /// This engine with other options (a callback's tasks), sharing its request pacer and CPU queue.
  public func with(options: SyncOptions) -> SyncEngine { SyncEngine(self, options: options) }

  /// Runs one sync.
  ///
  /// Cancelling the task stops it after the items in flight; the run is then recorded as interrupted.
  ///
  /// - Parameter progress: Called after each item, for a progress line.
  /// - Returns: What was done and what failed (retried next run).
  /// - Throws: `SyncError` when the run had to stop: the gateway refused the key, or the archive failed.
  public func run(progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }) async throws(SyncError) -> SyncReport
  {
    let files = try preparedFiles()
    if !options.besideOwnRuns { try endKilledRuns(files) }
    let runId: Int64
    do {
      runId = try store.beginSyncRun()
    } catch {
      throw SyncError.store(error)
    }
    let tally = SyncTally(logger: logger, pacer: pacer)
    logger.info("sync started", metadata: ["run": .stringConvertible(runId)])
    let images = ImageHandling(files: files, cpu: cpu)
    // 1. Learn of tasks: the gateway's whole list (--discover), and submits whose answer was lost (not for a
    //    callback's few tasks: the next whole sync does it).
    if options.taskIds == nil { await discoverAndReconcile(tally, files: files) }
    // 2. Fetch and store every task that needs it. Where the gateway fetches one task a request, each finished
    //    task's image is handed to the download lane (step 3's code) at once, so fetches and downloads overlap.
    await fetchTasks(tally, images: images, progress: progress)
    // 3. Download every image still missing, then split grids and make thumbnails, recording each file.
    if tally.fatal == nil { await bringImagesHome(images, tally, progress: progress) }
    // 4. With a bucket: keep the local cache within its size, oldest confirmed files out first.
    if tally.fatal == nil { await trimCache(files, tally: tally) }
    // 5. With --seeds: each new grid's seed, asked of the gateway slowly.
    if tally.fatal == nil && options.seeds && options.taskIds == nil { await fetchSeeds(tally, progress: progress) }
    let report = tally.report
    let status = tally.fatal != nil ? "failed" : Task.isCancelled ? "interrupted" : "done"
    do {
      try store.finishSyncRun(runId, counts: report.counts, status: status)
    } catch {
      throw SyncError.store(error)
    }
    logger.info(
      "sync finished",
      metadata: [
        "run": .stringConvertible(runId), "status": .string(status),
        "fetched": .stringConvertible(report.counts.tasksFetched),
        "changed": .stringConvertible(report.counts.tasksChanged),
        "images": .stringConvertible(report.counts.imagesDownloaded),
        "bytes": .stringConvertible(report.counts.bytesDownloaded), "failed": .stringConvertible(report.counts.failed),
      ])
    if let fatal = tally.fatal { throw fatal }
    return report
  }

  /// Ends the runs a killed process left marked running, and removes the temporary files only such a run leaves.
  ///
  /// The caller has just taken the lock and runs nothing under it yet (a run does it itself unless
  /// `besideOwnRuns`), so no temporary file found is in use.
  public func endKilledRuns() throws(SyncError) {
    try endKilledRuns(try preparedFiles())
  }

  private func endKilledRuns(_ files: ArchiveFiles) throws(SyncError) {
    do {
      if try store.endKilledSyncRuns() > 0 { files.removeTemporaryFiles() }
    } catch {
      throw SyncError.store(error)
    }
  }

  // MARK: - Helpers

  /// The archive's image folders, made where missing.
  ///
  /// - Throws: `SyncError.files` when they cannot be made or are not safe to write (a link planted there).
  func preparedFiles() throws(SyncError) -> ArchiveFiles {
    do {
      let files = try ArchiveFiles(root: store.directory)
      try files.prepare()
      return files
    } catch {
      throw SyncError.files(error.description)
    }
  }

  /// With a bucket: keeps the local cache within its size, oldest confirmed files out first.
  func trimCache(_ files: ArchiveFiles, tally: SyncTally) async {
    guard let bucket = options.bucket else { return }
    do {
      let removed = try await bucket.trimCache(of: files.owned, store: store)
      if removed.files > 0 {
        logger.info("cache trimmed", metadata: ["files": "\(removed.files)", "bytes": "\(removed.bytes)"])
      }
    } catch {
      tally.absorb(error, taskId: nil)
    }
  }

  /// Runs `body` for each item, at most `limit` (by default `options.concurrency`) at once, stopping early on a
  /// fatal error.
  func forEach<Item: Sendable>(
    _ items: [Item], tally: SyncTally, limit: Int? = nil, _ body: @escaping @Sendable (Item) async -> Void
  ) async {
    await items.boundedForEach(limit: limit ?? options.concurrency, shouldStop: { tally.fatal != nil }, body)
  }

  /// Runs `body` for each item as it arrives, at most `limit` (by default `options.concurrency`) at once; after a
  /// fatal error the rest are taken and dropped, so whoever yields them never waits.
  func forEach<Item: Sendable>(
    _ items: AsyncStream<Item>, tally: SyncTally, limit: Int? = nil, _ body: @escaping @Sendable (Item) async -> Void
  ) async {
    await items.boundedForEach(limit: limit ?? options.concurrency, shouldStop: { tally.fatal != nil }, body)
  }
}
