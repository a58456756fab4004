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
  /// Most callback passes going on at once.
  ///
  /// A pass of one grid spends most of its half second waiting on the network or on one core, so a task
  /// finishing meanwhile starts its own pass instead of queueing behind it.
  static let maximumPasses = 4

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

  /// The worker: a whole sync at start and every `syncEvery`, alone; between them, a pass for the callbacks due,
  /// started as soon as they are due, beside the passes still going on (at most `maximumPasses`).
  ///
  /// Cancelled, it starts nothing more and waits for the passes going on, which stop after their items in flight.
  private func work(events: @escaping @Sendable (ListenEvent) -> Void) async throws(ListenError) {
    let gate = PassGate(directory: engine.store.directory)
    let failure = Locked<ListenError?>(nil)
    await withDiscardingTaskGroup { group in
      var nextWholeSync: ContinuousClock.Instant? = .now
      while !Task.isCancelled, failure.withLock({ $0 }) == nil {
        let now = ContinuousClock.now
        if let next = nextWholeSync, next <= now {
          // A whole sync runs alone: passes going on end first, and none starts meanwhile.
          if gate.passes == 0 {
            do throws(ListenError) {
              if try await wholeSync(gate: gate, events: events) {
                nextWholeSync = configuration.syncEvery.map { ContinuousClock.now + $0 }
              }
            } catch {
              failure.withLock { $0 = error }
            }
            continue
          }
        } else if gate.passes < Self.maximumPasses {
          let due = queue.takeDue(now: now, skipping: gate.busy)
          if !due.isEmpty {
            do throws(ListenError) {
              if try enter(gate, ids: due, events: events) {
                group.addTask {
                  defer { gate.leave(due) }
                  do throws(ListenError) {
                    try await self.pass(ids: due, besideOwnRuns: true, events: events)
                  } catch {
                    failure.withLock { $0 = $0 ?? error }
                  }
                }
              } else {
                queue.requeue(due, after: Self.lockRetry, recheck: false)
                try? await Task.sleep(for: Self.lockRetry)
              }
            } catch {
              failure.withLock { $0 = error }
            }
            continue
          }
        }
        flushCounts()
        try? await Task.sleep(for: Self.tick)
      }
      if failure.withLock({ $0 }) != nil { group.cancelAll() }
    }
    if let error = failure.withLock({ $0 }) { throw error }
  }

  /// Enters a pass over `ids`; one that takes the lock first ends the runs a killed process left.
  ///
  /// - Returns: False when another process holds the lock (told as an event; nothing was entered).
  private func enter(_ gate: PassGate, ids: [String], events: @Sendable (ListenEvent) -> Void) throws(ListenError)
    -> Bool
  {
    do throws(SyncError) {
      if try gate.enter(ids) {
        do throws(SyncError) {
          try engine.endKilledRuns()
        } catch {
          gate.leave(ids)
          throw error
        }
      }
      return true
    } catch .locked(let holder) {
      events(.waitingForLock(holder: holder))
      return false
    } catch {
      throw .sync(error)
    }
  }

  /// A whole sync, under the lock.
  ///
  /// - Returns: False when another process holds the lock (the caller tries again).
  private func wholeSync(gate: PassGate, events: @escaping @Sendable (ListenEvent) -> Void) async throws(ListenError)
    -> Bool
  {
    do {
      _ = try gate.enter([])
    } catch .locked(let holder) {
      events(.waitingForLock(holder: holder))
      try? await Task.sleep(for: Self.lockRetry)
      return false
    } catch {
      throw .sync(error)
    }
    defer { gate.leave([]) }
    try await pass(ids: nil, besideOwnRuns: false, events: events)
    return true
  }

  /// One sync: of `ids` (a callback's tasks), or whole; the caller holds the lock through `PassGate`.
  private func pass(ids: [String]?, besideOwnRuns: Bool, events: @escaping @Sendable (ListenEvent) -> Void)
    async throws(ListenError)
  {
    let store = engine.store
    var options = engine.options
    options.taskIds = ids
    options.besideOwnRuns = besideOwnRuns
    let report: SyncReport
    do {
      report = try await engine.with(options: options).run()
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
