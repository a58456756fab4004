import ArchiveStore
import Foundation
import GridImage
import Logging
import MidjourneyAPI

extension SyncEngine {
  /// Downloads, splits and records the images of every finished task that lacks them.
  func bringImagesHome(
    _ images: ImageHandling, _ tally: SyncTally, progress: @escaping @Sendable (SyncProgress) -> Void
  ) async {
    var work: [ImageWork] = []
    do {
      if let ids = options.taskIds {
        for id in ids {
          work += try store.imageWork(
            splits: options.split, quadrants: options.quadrants, taskId: id, only: options.only)
        }
      } else {
        work = try store.imageWork(splits: options.split, quadrants: options.quadrants, only: options.only)
      }
    } catch {
      tally.stop(.store(error))
      return
    }
    // Links closest to expiry first; links without an expiry last.
    let gateway = client.configuration.baseURL
    let ordered = work.map { (expiry: ImageLink($0.imageURL, gateway: gateway)?.expiresAt ?? Int.max, work: $0) }
      .sorted { $0.expiry < $1.expiry }.map(\.work)
    tally.resetSteps()
    await forEach(ordered, tally: tally, limit: options.downloadConcurrency) { item in
      await bringHome(item, images: images, tally: tally)
      progress(tally.step(.downloading, total: ordered.count))
    }
  }

  /// Brings home the images of one task just fetched (where the gateway fetches one task a request).
  func bringImagesHome(of taskId: String, _ images: ImageHandling, _ tally: SyncTally) async {
    do {
      for work in try store.imageWork(
        splits: options.split, quadrants: options.quadrants, taskId: taskId, only: options.only)
      {
        await bringHome(work, images: images, tally: tally)
      }
    } catch {
      tally.stop(.store(error))
    }
  }

  /// One task's images: the original downloaded (unless stored), then split or thumbnailed, then recorded.
  func bringHome(_ work: ImageWork, images: ImageHandling, tally: SyncTally) async {
    do {
      var recorded: [StoredFile] = []
      let original: StoredFile
      if let stored = work.original {
        original = stored
      } else {
        original = try await download(work, files: images.files, tally: tally)
        recorded.append(original)
      }
      let split: SplitState
      var hashes: [String: ImageHashes] = [:]
      do {
        if work.original != nil, let bucket = options.bucket {
          try await bucket.restore(original, into: images.files.owned)
        }
        let (made, state, madeHashes) = try await makeDerivedImages(of: original, work: work, images: images)
        recorded += made
        split = state
        hashes = madeHashes
      } catch let error as GridImageError where error.isPermanent {
        // A picture libpng refuses will not split next time either: keep it, say so once, move on. Anything
        // else (a full disk, a folder that cannot be written) leaves the original unsplit for the next run.
        try await record(recorded, taskId: work.taskId, split: .failed, images: images)
        throw error
      } catch {
        // Only this attempt failed: the original just downloaded is kept (not split), so the next run splits it
        // without downloading it again.
        if !recorded.isEmpty { try await record(recorded, taskId: work.taskId, split: .notSplit, images: images) }
        throw error
      }
      try await record(recorded, taskId: work.taskId, split: split, hashes: hashes, images: images)
      logger.info(
        "images",
        metadata: [
          "task": .string(work.taskId), "files": .stringConvertible(recorded.count),
          "split": .stringConvertible(split.rawValue),
        ])
    } catch {
      tally.absorb(error, taskId: work.taskId)
    }
  }

  /// Writes the rows of a task's files, once the archive's bucket (where it keeps its images in one) has confirmed
  /// every file: a row never names an object that is not there.
  func record(
    _ files: [StoredFile], taskId: String, split: SplitState, hashes: [String: ImageHashes] = [:],
    images: ImageHandling
  ) async throws {
    if let bucket = options.bucket, !files.isEmpty { try await bucket.keep(files, from: images.files.owned) }
    try store.recordFiles(files, taskId: taskId, split: split, hashes: hashes)
  }

  /// A grid's quadrants (with `options.split`) or a single picture's thumbnails, made on the CPU queue.
  ///
  /// - Returns: The files made, the state to record on the original, and the perceptual hashes (by content) of
  ///   the pictures whose pixels were decoded.
  func makeDerivedImages(of original: StoredFile, work: ImageWork, images: ImageHandling) async throws
    -> ([StoredFile], SplitState, [String: ImageHashes])
  {
    let files = images.files
    let edges = options.thumbnailEdges
    guard original.format == "PNG" else { return ([], .notDecoded, [:]) }
    if work.isGrid && options.split && options.quadrants {
      let made = try await images.cpu.run { try files.split(original, work: work, thumbnailEdges: edges) }
      return (made.files, .split, made.hashes)
    }
    // A grid kept whole (--no-quadrants) gets thumbnails of the whole picture, like a single image.
    guard !work.isGrid || (options.split && !options.quadrants) else { return ([], .notSplit, [:]) }
    let made = try await images.cpu.run { try files.thumbnails(of: original, taskId: work.taskId, edges: edges) }
    return (made.files, .notSplit, made.sample.map { [original.sha256: ImageHashes(sample: $0)] } ?? [:])
  }

  /// Downloads the task's image; an expired link makes one refetch of the task for a fresh link, then one retry.
  func download(_ work: ImageWork, files: ArchiveFiles, tally: SyncTally) async throws -> StoredFile {
    do {
      return try await download(link: work.imageURL, taskId: work.taskId, files: files, tally: tally)
    } catch .expired {
      await tally.request()
      let fresh = try await client.fetch(id: work.taskId)
      try store.store(fresh)
      guard let link = fresh.imageUrl, !link.isEmpty else {
        throw DownloadError.transfer("the refetched task has no image link")
      }
      return try await download(link: link, taskId: work.taskId, files: files, tally: tally)
    }
  }

  func download(link text: String, taskId: String, files: ArchiveFiles, tally: SyncTally)
    async throws(DownloadError) -> StoredFile
  {
    let gateway = client.configuration.baseURL
    guard let link = ImageLink(text, gateway: gateway, imageHost: options.imageHost) else {
      throw DownloadError.badLink(text)
    }
    // The key goes only to the gateway itself, never to an image host.
    let policy = DownloadPolicy(
      gateway: gateway, imageHost: options.imageHost,
      authorization: client.configuration.apiKey.map { "Bearer " + $0 })
    var attempt = 0
    let file: StoredFile
    while true {
      attempt += 1
      tally.countRequest()
      do {
        file = try await files.download(
          link, transport: transport, policy: policy, timeout: options.downloadTimeout,
          minimumRate: options.minimumDownloadRate, maximumBytes: options.maximumImageBytes)
        break
      } catch .throttled(let status, let retryAfter) where attempt < options.downloadRetry.maximumAttempts {
        logger.info("image host slows down", metadata: ["task": .string(taskId), "status": .stringConvertible(status)])
        do {
          try await options.downloadRetry.sleep(
            options.downloadRetry.delay(afterAttempt: attempt, retryAfter: retryAfter))
        } catch {
          throw .throttled(status: status, retryAfter: retryAfter)
        }
      }
    }
    tally.update { report in
      report.counts.imagesDownloaded += 1
      report.counts.bytesDownloaded += file.bytes
    }
    logger.info(
      "downloaded",
      metadata: ["task": .string(taskId), "bytes": .stringConvertible(file.bytes), "sha256": .string(file.sha256)])
    return file
  }
}
