import ArchiveStore
import Foundation
import MidjourneyAPI

extension SyncEngine {
  /// Repairs what `ArchiveVerifier` found.
  ///
  /// Strays are removed; a damaged or missing original is downloaded again after refetching its
  /// task for a fresh link (the damaged file is first moved to `images/damaged/`, and removed once a
  /// good copy is home); damaged, missing or absent quadrants and thumbnails are made again from the
  /// stored original, without the network; an out-of-step full-text index is rebuilt. A damaged
  /// database is left untouched. The caller holds `SyncLock`.
  ///
  /// - Throws: `SyncError.damagedDatabase` when SQLite found the database damaged; `.store`, `.files`
  ///   when the archive cannot be written; `.gateway` when the key is refused.
  public func repair(_ report: VerifyReport, progress: @escaping @Sendable (SyncProgress) -> Void = { _ in })
    async throws(SyncError) -> RepairReport
  {
    if let first = report.databaseProblems.first { throw SyncError.damagedDatabase(first) }
    var result = RepairReport()
    let files = try preparedFiles()
    do {
      if report.searchIndexInStep == false {
        try store.rebuildSearchIndex()
        result.searchIndexRebuilt = true
      }
    } catch {
      throw SyncError.store(error)
    }
    let tally = SyncTally(logger: logger, pacer: pacer)
    for problem in report.problems where problem.kind == .stray || problem.kind == .damagedCache {
      // Removed as a link when it is one; never through a link (OwnedFolder refuses a linked folder on the way).
      do {
        if let key = problem.objectKey, let bucket = options.bucket {
          try await bucket.client.delete(key)
        } else {
          try files.owned.remove(problem.path)
        }
        result.straysRemoved += 1
      } catch {
        tally.absorb(error, taskId: nil, context: "cannot remove \(problem.path)")
      }
    }
    if let fatal = tally.fatal { throw fatal }
    var report = report
    if let bucket = options.bucket {
      report.problems = await reupload(report, to: bucket, files: files, tally: tally, result: &result)
      if let fatal = tally.fatal { throw fatal }
    }
    let plan = try RepairPlan(report, files: files)
    do {
      for (taskId, forgotten) in plan.forget.sorted(by: { $0.key < $1.key }) {
        try store.forgetFiles(forgotten, taskId: taskId, resplit: plan.resplit.contains(taskId))
      }
    } catch {
      throw SyncError.store(error)
    }
    // The thumbnail sizes this archive was made with, so repaired grids look like the rest.
    var options = self.options
    // A damaged object is uploaded over, even with the recorded size.
    options.bucket?.distrusted = Set(report.problems.filter { $0.kind == .damaged }.compactMap(\.objectKey))
    let edges = Set(report.records.filter { $0.file.kind == .thumbnail }.map(\.file.edge))
    options.thumbnailEdges = edges.isEmpty ? options.thumbnailEdges : edges.sorted()
    options.split = true
    // A grid the archive keeps whole gets its thumbnails again, not quadrants it never had.
    options.quadrants = (try? store.makesQuadrants()) ?? true
    let engine = with(options: options)
    let images = ImageHandling(files: files, cpu: cpu)
    let refetch = plan.refetch.sorted()
    let size = client.mayListManyTasks ? 100 : 1
    let batches = stride(from: 0, to: refetch.count, by: size).map {
      Array(refetch[$0..<min($0 + size, refetch.count)])
    }
    await engine.forEach(batches, tally: tally) { batch in
      _ = await engine.fetchAndStore(batch, tally)
    }
    if let fatal = tally.fatal { throw fatal }
    let tasks = plan.tasks.sorted()
    await engine.forEach(tasks, tally: tally) { taskId in
      do throws(StoreError) {
        let work = try store.imageWork(splits: true, quadrants: engine.options.quadrants, taskId: taskId)
        let hasOriginal = try store.hasOriginal(taskId: taskId)
        if work.isEmpty && !hasOriginal {
          tally.fail(taskId, "the gateway gives no image link for it now, so nothing could be downloaded")
        }
        for item in work { await engine.bringHome(item, images: images, tally: tally) }
      } catch {
        tally.stop(.store(error))
      }
      progress(tally.step(.repairing, total: tasks.count))
    }
    if let fatal = tally.fatal { throw fatal }
    await engine.trimCache(files, tally: tally)
    let finished = tally.report
    let failed = Set(finished.failures.compactMap(\.taskId))
    // Copies parked now, and by earlier repairs (a killed one among them), go once their task's image is home.
    let earlier = report.problems.filter { $0.kind == .parked }.map { ($0.path, $0.taskIds) }
    for (parked, taskIds) in plan.parked.sorted(by: { $0.key < $1.key }) + earlier {
      let home = !taskIds.isEmpty && !taskIds.contains(where: failed.contains)
      if home, (try? taskIds.allSatisfy { taskId throws(StoreError) in try store.hasOriginal(taskId: taskId) }) == true
      {
        _ = try? files.owned.remove(parked)
      } else {
        result.keptDamaged.append(parked)
      }
    }
    result.tasksRepaired = tasks.filter { !failed.contains($0) }.count
    result.imagesDownloaded = finished.counts.imagesDownloaded
    result.requests = finished.counts.requests
    result.failures += finished.failures
    return result
  }

  /// Uploads each missing or damaged object again from the local cache where it holds the recorded file.
  ///
  /// - Returns: The problems left for the plan: those no cached copy could mend.
  private func reupload(
    _ report: VerifyReport, to bucket: BucketImageStore, files: ArchiveFiles, tally: SyncTally,
    result: inout RepairReport
  ) async -> [VerifyProblem] {
    let recorded = Dictionary(report.records.map { ($0.file.path, $0.file) }, uniquingKeysWith: { first, _ in first })
    var left: [VerifyProblem] = []
    for problem in report.problems {
      guard let key = problem.objectKey, problem.kind == .missing || problem.kind == .damaged,
        let file = recorded[problem.path],
        ArchiveVerifier.check(problem.path, in: files.owned, sha256: file.sha256).verdict == .intact
      else {
        left.append(problem)
        continue
      }
      var replacing = bucket
      replacing.distrusted = [key]
      do {
        try await replacing.keep([file], from: files.owned)
        result.reuploaded += 1
      } catch {
        tally.absorb(error, taskId: problem.taskIds.first, context: "cannot upload \(problem.path) again")
        left.append(problem)
      }
    }
    return left
  }
}
