import ArchiveStore
import Foundation
import GridImage
import Logging
import MidjourneyAPI
import Synchronization

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

  public init(
    client: GatewayClient, transport: any HTTPTransport, store: ArchiveStore, options: SyncOptions = SyncOptions(),
    logger: Logger = Logger(label: "mjarchive.sync", factory: { _ in SwiftLogNoOpLogHandler() })
  ) {
    self.client = client
    self.transport = transport
    self.store = store
    self.options = options
    self.logger = logger
  }

  /// Counters shared by the concurrent items of one run.
  final class Tally: Sendable {
    private let state = Mutex<(report: SyncReport, fatal: SyncError?, done: Int)>((SyncReport(), nil, 0))
    let logger: Logger
    let pacer: RequestPacer

    init(logger: Logger, pacer: RequestPacer) {
      self.logger = logger
      self.pacer = pacer
    }

    /// Waits for the next request's turn under the rate cap, and counts it.
    func request() async {
      await pacer.admit()
      state.withLock { $0.report.counts.requests += 1 }
    }

    func update(_ body: (inout SyncReport) -> Void) {
      state.withLock { body(&$0.report) }
    }

    func fail(_ taskId: String?, _ reason: String) {
      // Items cut short by cancelling the run are not failures: the next run takes them up.
      guard !Task.isCancelled else { return }
      logger.warning("failed", metadata: ["task": .string(taskId ?? "-"), "reason": .string(reason)])
      state.withLock {
        $0.report.counts.failed += 1
        $0.report.failures.append(SyncReport.Failure(taskId: taskId, reason: reason))
      }
    }

    /// Stops the run: the gateway refused the key, or the archive failed.
    func stop(_ error: SyncError) {
      logger.error("stopped", metadata: ["reason": .string(error.description)])
      state.withLock { if $0.fatal == nil { $0.fatal = error } }
    }

    var fatal: SyncError? { state.withLock { $0.fatal } }
    var report: SyncReport { state.withLock { $0.report } }

    /// Counts finished items and returns the progress.
    func step(_ phase: SyncProgress.Phase, by count: Int = 1, total: Int) -> SyncProgress {
      state.withLock {
        $0.done += count
        return SyncProgress(
          phase: phase, done: $0.done, total: total, bytes: $0.report.counts.bytesDownloaded,
          failed: $0.report.counts.failed)
      }
    }

    func resetSteps() { state.withLock { $0.done = 0 } }
  }

  /// Runs one sync.
  ///
  /// Cancelling the task stops it after the items in flight; the run is then recorded as interrupted.
  ///
  /// - Parameter progress: Called after each item, for a progress line.
  /// - Returns: What was done and what failed (retried next run).
  /// - Throws: `SyncError` when the run had to stop: the gateway refused the key, or the archive failed.
  public func run(progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }) async throws(SyncError) -> SyncReport
  {
    let files: ArchiveFiles
    do {
      files = try ArchiveFiles(root: store.directory)
      try files.prepare()
    } catch {
      throw SyncError.files(error.description)
    }
    let runId: Int64
    do {
      let started = try store.beginSyncRun()
      runId = started.id
      // Only a killed run leaves temporary files behind (this one holds the lock, so none is in use).
      if started.killedRuns > 0 { files.removeTemporaryFiles() }
    } catch {
      throw SyncError.store(error)
    }
    let tally = Tally(logger: logger, pacer: RequestPacer(perSecond: options.requestsPerSecond))
    logger.info("sync started", metadata: ["run": .stringConvertible(runId)])
    await discoverAndReconcile(tally)
    // One split per core: a split decodes and makes thumbnails on one thread and encodes on two, so
    // fewer would leave cores idle, more would only queue up memory.
    let images = ImageHandling(files: files, cpu: CPUWorkQueue(width: ProcessInfo.processInfo.activeProcessorCount))
    await fetchTasks(tally, images: images, progress: progress)
    if tally.fatal == nil { await bringImagesHome(images, tally, progress: progress) }
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

  // MARK: - Tasks

  /// Reads the gateway's task list (with `discover`, or to find submits whose answer was lost).
  func discoverAndReconcile(_ tally: Tally) async {
    if options.discover {
      await discover(tally)
    }
    do {
      guard !(try store.pendingSubmissions()).isEmpty else { return }
      await tally.request()
      let found = try await SubmissionReconciler(client: client, store: store).reconcile()
      tally.update { $0.submitsFound += found.found.count }
    } catch let error as SyncError {
      if case .gateway(let gatewayError) = error {
        handle(gatewayError, taskId: nil, tally)
      } else {
        tally.fail(nil, error.description)
      }
    } catch {
      tally.fail(nil, String(describing: error))
    }
  }

  /// Fetches every task that needs it, storing each batch as it arrives.
  ///
  /// A first request for one task tells whether the gateway lists many tasks at once: then batches
  /// of 100, else one task a request, so that the per-task fetches still run concurrently.
  func fetchTasks(_ tally: Tally, images: ImageHandling, progress: @escaping @Sendable (SyncProgress) -> Void)
    async
  {
    let ids: [String]
    do {
      ids = try store.tasksToFetch(refresh: options.refresh)
    } catch {
      tally.stop(.store(error))
      return
    }
    guard let first = ids.first else { return }
    tally.resetSteps()
    await fetchBatch([first], tally, images: images, progress: progress, total: ids.count)
    guard tally.fatal == nil else { return }
    let size = client.mayListManyTasks ? 100 : 1
    let rest = ids.dropFirst()
    let batches = stride(from: rest.startIndex, to: rest.endIndex, by: size).map {
      Array(rest[$0..<min($0 + size, rest.endIndex)])
    }
    await forEach(batches, tally: tally) { batch in
      await fetchBatch(batch, tally, images: images, progress: progress, total: ids.count)
    }
  }

  /// Fetches and stores one batch of tasks.
  ///
  /// A task fetched on its own (where the gateway has no list route) has its image brought home by
  /// the same worker right away, so fetches and downloads overlap without more requests in flight.
  func fetchBatch(
    _ batch: [String], _ tally: Tally, images: ImageHandling, progress: @Sendable (SyncProgress) -> Void, total: Int
  )
    async
  {
    do {
      var unreadableIds = Set<String>()
      await tally.request()
      let tasks = try await client.tasks(ids: batch) { entry in
        if let id = entry.id { unreadableIds.insert(id) }
        tally.fail(entry.id, "the gateway listed it in a form that cannot be read: \(entry.reason)")
      }
      let outcomes = try store.store(tasks)
      let returned = Set(tasks.map(\.id))
      for (task, outcome) in zip(tasks, outcomes) where outcome == .inserted || outcome == .updated {
        logger.info("stored", metadata: ["task": .string(task.id), "status": .string(task.status?.rawValue ?? "?")])
      }
      tally.update { report in
        report.counts.tasksFetched += tasks.count
        report.counts.tasksChanged += outcomes.filter { $0 == .inserted || $0 == .updated }.count
      }
      for id in batch where !returned.contains(id) && !unreadableIds.contains(id) {
        tally.fail(id, "the gateway has no such task (yet)")
      }
      if batch.count == 1, !client.mayListManyTasks, let task = tasks.first, task.status == .success {
        for work in try store.imageWork(splits: options.split, taskId: task.id) {
          await bringHome(work, images: images, tally: tally)
        }
      }
    } catch let error as GatewayError {
      handle(error, taskId: batch.count == 1 ? batch[0] : nil, tally)
    } catch let error as StoreError {
      tally.stop(.store(error))
    } catch {
      tally.fail(nil, String(describing: error))
    }
    progress(tally.step(.fetching, by: batch.count, total: total))
  }

  // MARK: - Helpers

  /// Sorts a gateway error: a refused key stops the run, anything else fails one item.
  func handle(_ error: GatewayError, taskId: String?, _ tally: Tally) {
    if case .unauthorized = error {
      tally.stop(.gateway(error))
    } else {
      tally.fail(taskId, error.description)
    }
  }

  /// Runs `body` for each item, at most `options.concurrency` at once, stopping early on a fatal error.
  func forEach<Item: Sendable>(
    _ items: [Item], tally: Tally, _ body: @escaping @Sendable (Item) async -> Void
  ) async {
    await withTaskGroup(of: Void.self) { group in
      var iterator = items.makeIterator()
      for _ in 0..<max(1, options.concurrency) {
        guard tally.fatal == nil, let item = iterator.next() else { break }
        group.addTask { await body(item) }
      }
      while await group.next() != nil {
        guard tally.fatal == nil, !Task.isCancelled, let item = iterator.next() else { continue }
        group.addTask { await body(item) }
      }
    }
  }
}
