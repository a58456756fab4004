import ArchiveStore
import Basics
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Sync

/// `mjarchive listen`: receives the gateway's callbacks and brings each named task home through the sync engine.
///
/// A callback is a hint, never the truth: it only queues a task id (`CallbackQueue`), and each pass fetches the
/// queued tasks from the gateway and stores and downloads them as `sync` does (`SyncOptions.taskIds`). A whole sync
/// runs at start (which also picks up whatever a killed run left: unfinished tasks are fetched again) and every
/// `syncEvery`, for callbacks the gateway never sent. The archive's lock is taken for each pass only, so `sync`
/// from cron, `verify` and the rest still run beside it; a pass waits while one of them holds it.
public final class Listener: Sendable {
  /// The engine of a whole sync; a pass for callbacks uses its options with `taskIds` set.
  public let engine: SyncEngine
  public let token: HookToken
  public let configuration: ListenConfiguration
  let queue: CallbackQueue
  let counts = Locked(CallbackCounts())
  /// How often the worker looks for due tasks: a callback that says finished waits at most this long.
  static let tick: Duration = .milliseconds(50)
  /// Wait before trying the lock again while another process holds it.
  static let lockRetry: Duration = .seconds(1)

  public init(engine: SyncEngine, token: HookToken, configuration: ListenConfiguration) {
    self.engine = engine
    self.token = token
    self.configuration = configuration
    self.queue = CallbackQueue(quietPeriod: configuration.quietPeriod)
  }

  /// Receives callbacks and works until cancelled; a pass in flight then stops after its items in flight.
  ///
  /// - Throws: `ListenError.bind` when the address cannot be listened on, `.sync` when a pass had to stop (the
  ///   gateway refused the key, the archive failed).
  public func run(events: @escaping @Sendable (ListenEvent) -> Void = { _ in }) async throws(ListenError) {
    let started = Locked(false)
    let server = makeApplication { port in
      started.withLock { $0 = true }
      events(.listening(port: port))
    }
    let outcome: Result<Void, ListenError> = await withTaskGroup(of: Result<Void, ListenError>.self) { group in
      group.addTask {
        do {
          try await server.run()
          return .success(())
        } catch {
          if started.withLock({ $0 }) || Task.isCancelled { return .success(()) }
          return .failure(
            .bind(address: "\(self.configuration.host):\(self.configuration.port)", reason: "\(error)"))
        }
      }
      group.addTask {
        do throws(ListenError) {
          try await self.work(events: events)
          return .success(())
        } catch {
          return .failure(error)
        }
      }
      // The first to end (an error, or cancellation) ends both.
      let first = await group.next() ?? .success(())
      group.cancelAll()
      var result = first
      for await other in group { if case .failure = other, case .success = result { result = other } }
      return result
    }
    flushCounts()
    try outcome.get()
  }

  private func makeApplication(onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
    let responder = HookResponder(
      token: token, queue: queue, counts: counts, bodyLimit: configuration.maximumBodyBytes,
      bodyDeadline: configuration.bodyDeadline)
    // Hummingbird's own log would carry request paths, which hold the token: it gets none.
    let quiet = Logger(label: "mjarchive.listen.http", factory: { _ in SwiftLogNoOpLogHandler() })
    return Application(
      responder: responder,
      server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: nil,
        availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections, logger: quiet)),
      onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
      logger: quiet)
  }

  /// The worker: a whole sync at start and every `syncEvery`; between them, a pass for the due callbacks.
  private func work(events: @escaping @Sendable (ListenEvent) -> Void) async throws(ListenError) {
    var nextWholeSync: ContinuousClock.Instant? = .now
    while !Task.isCancelled {
      let now = ContinuousClock.now
      if let next = nextWholeSync, next <= now {
        if try await pass(ids: nil, events: events) {
          nextWholeSync = configuration.syncEvery.map { ContinuousClock.now + $0 }
        }
        continue
      }
      let due = queue.takeDue(now: now)
      if !due.isEmpty {
        if !(try await pass(ids: due, events: events)) {
          queue.requeue(due, after: Self.lockRetry, recheck: false)
        }
        continue
      }
      flushCounts()
      try? await Task.sleep(for: Self.tick)
    }
  }

  /// One sync under the archive's lock: of `ids` (a callback's tasks), or whole.
  ///
  /// - Returns: False when another process holds the lock (nothing was done; the caller tries again).
  private func pass(ids: [String]?, events: @escaping @Sendable (ListenEvent) -> Void) async throws(ListenError)
    -> Bool
  {
    let store = engine.store
    let lock: SyncLock
    do {
      lock = try SyncLock.acquire(in: store.directory)
    } catch .locked(let holder) {
      events(.waitingForLock(holder: holder))
      try? await Task.sleep(for: Self.lockRetry)
      return false
    } catch {
      throw .sync(error)
    }
    defer { withExtendedLifetime(lock) {} }
    var options = engine.options
    options.taskIds = ids
    let pass = SyncEngine(
      client: engine.client, transport: engine.transport, store: store, options: options, logger: engine.logger)
    let report: SyncReport
    do {
      report = try await pass.run()
    } catch {
      throw .sync(error)
    }
    if let ids {
      counts.withLock { $0.fetched += report.counts.tasksFetched }
      // A task still unfinished (its final callback lost, or a callback before the end) is looked at again.
      if let unfinished = try? store.tasksToFetch(among: ids), !unfinished.isEmpty {
        queue.requeue(unfinished, after: configuration.quietPeriod, recheck: true)
      }
    }
    flushCounts()
    let total = (try? store.stats().callbacks) ?? CallbackCounts()
    engine.logger.info(
      ids == nil ? "whole sync" : "callback pass",
      metadata: [
        "tasks": .stringConvertible(ids?.count ?? report.counts.tasksFetched),
        "fetched": .stringConvertible(report.counts.tasksFetched),
        "images": .stringConvertible(report.counts.imagesDownloaded),
      ])
    events(
      .passed(
        hinted: ids?.count, fetched: report.counts.tasksFetched, images: report.counts.imagesDownloaded,
        failed: report.counts.failed, callbacks: total))
    return true
  }

  /// Adds the counts gathered since the last call to the archive (nothing is written or read when there are none:
  /// the idle worker calls it every tick).
  private func flushCounts() {
    let delta = counts.withLock { counts in
      defer { counts = CallbackCounts() }
      return counts
    }
    do {
      try engine.store.addCallbackCounts(delta)
    } catch {
      // Kept for the next try: counts are never worth stopping for.
      counts.withLock {
        $0.received += delta.received
        $0.coalesced += delta.coalesced
        $0.fetched += delta.fetched
        $0.rejected += delta.rejected
      }
    }
  }
}
