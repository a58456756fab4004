import ArchiveStore
import Foundation
import MidjourneyAPI

extension SyncEngine {
  /// Reads the gateway's task list (with `discover`), and finds submits whose answer was lost.
  func discoverAndReconcile(_ tally: SyncTally, files: ArchiveFiles) async {
    if options.discover {
      await discover(tally, files: files)
    }
    do {
      guard !(try store.pendingSubmissions()).isEmpty else { return }
      await tally.request()
      let found = try await SubmissionReconciler(client: client, store: store).reconcile()
      tally.update { $0.submitsFound += found.found.count }
    } catch {
      tally.absorb(error, taskId: nil)
    }
  }

  /// Fetches every task that needs it, storing each batch as it arrives.
  ///
  /// A first request for one task tells whether the gateway lists many tasks at once: then batches
  /// of 100, else one task a request, so that the per-task fetches still run concurrently. Then each
  /// finished task's image goes to the download lane (`options.downloadConcurrency` at once) while the
  /// fetches go on, so a slow download never holds an API slot.
  func fetchTasks(_ tally: SyncTally, images: ImageHandling, progress: @escaping @Sendable (SyncProgress) -> Void)
    async
  {
    let ids: [String]
    do {
      if let hinted = options.taskIds {
        ids = try store.tasksToFetch(among: hinted)
      } else {
        ids = try store.tasksToFetch(refresh: options.refresh)
      }
    } catch {
      tally.stop(.store(error))
      return
    }
    guard let first = ids.first else { return }
    tally.resetSteps()
    let (finished, lane) = AsyncStream<String>.makeStream()
    async let downloads: Void = forEach(finished, tally: tally, limit: options.downloadConcurrency) { id in
      await bringImagesHome(of: id, images, tally)
    }
    let fetchOne = { @Sendable (batch: [String]) async in
      let stored = await fetchAndStore(batch, tally)
      if batch.count == 1, !client.mayListManyTasks, let task = stored.first, task.status == .success {
        lane.yield(task.id)
      }
      progress(tally.step(.fetching, by: batch.count, total: ids.count))
    }
    await fetchOne([first])
    if tally.fatal == nil {
      let size = client.mayListManyTasks ? 100 : 1
      let rest = ids.dropFirst()
      let batches = stride(from: rest.startIndex, to: rest.endIndex, by: size).map {
        Array(rest[$0..<min($0 + size, rest.endIndex)])
      }
      await forEach(batches, tally: tally, fetchOne)
    }
    lane.finish()
    await downloads
  }

  /// Fetches one batch of tasks and stores what came back.
  ///
  /// - Returns: The tasks stored.
  func fetchAndStore(_ batch: [String], _ tally: SyncTally) async -> [GatewayTask] {
    do {
      var unreadableIds = Set<String>()
      await tally.request()
      let tasks = try await client.tasks(ids: batch) { entry in
        if let id = entry.id { unreadableIds.insert(id) }
        tally.fail(entry.id, "the gateway listed it in a form that cannot be read: \(entry.reason)")
      }
      let outcomes = try store.store(tasks)
      for (task, outcome) in zip(tasks, outcomes) where outcome == .inserted || outcome == .updated {
        logger.info("stored", metadata: ["task": .string(task.id), "status": .string(task.status?.rawValue ?? "?")])
      }
      tally.stored(outcomes)
      let returned = Set(tasks.map(\.id))
      for id in batch where !returned.contains(id) && !unreadableIds.contains(id) {
        tally.fail(id, "the gateway has no such task (yet)")
      }
      return tasks
    } catch {
      tally.absorb(error, taskId: batch.count == 1 ? batch[0] : nil)
      return []
    }
  }
}
