import ArchiveStore
import Basics
import Foundation
import Logging
import ObjectStorage
import SafeFiles

/// Moves an archive's image files between its own folder and a bucket.
///
/// Every file is copied and confirmed (the server's checksums going up, size and SHA-256 coming down) before the
/// archive switches; only after the switch does the source let files go (the local cache trimmed to its size), and
/// objects in a bucket are never deleted. A run cut short leaves the archive where it was, and the next run copies
/// only what is not there yet. The caller holds `SyncLock`.
///
/// Memory stays flat in the number of images: the rows are read in batches in path order and matched against the
/// bucket's listing walked page by page in the same order (`S3ListingCursor`), never all held at once.
public struct ImageMigrator: Sendable {
  public let store: ArchiveStore
  /// Files in flight at once.
  public var concurrency = 8
  /// Where each file left behind is logged (nowhere by default).
  public var logger = Logger(label: "mjarchive.migrate", factory: { _ in SwiftLogNoOpLogHandler() })

  public init(store: ArchiveStore) {
    self.store = store
  }

  /// Moves the images from the archive's folder into `bucket`, which the archive remembers from then on.
  ///
  /// - Throws: `SyncError.files` when the archive keeps its images in another bucket, `.bucket` when the bucket
  ///   refuses, `.store` when the archive cannot be read or written.
  public func moveToBucket(
    _ bucket: BucketImageStore, settings: BucketSettings,
    progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
  ) async throws(SyncError) -> ImageMigrationReport {
    let remembered = try rememberedSettings()
    if let remembered, remembered.location != settings.location {
      throw SyncError.files(
        "this archive keeps its images in \(remembered.location): move them back with --to-local first")
    }
    let files = try archiveFiles()
    var report = ImageMigrationReport()
    if remembered != nil {
      // Moved already: the cache may have let files go, which the bucket holds.
      try await eachBatch { batch throws(SyncError) in
        report.files += batch.count
        return true
      }
      report.alreadyThere = report.files
      report.switched = true
      return report
    }
    // One listing instead of a HEAD a file, walked beside the rows: what an interrupted run stored is skipped.
    var listing = listingCursor(of: bucket)
    let tally = SyncTally(logger: logger, pacer: RequestPacer(perSecond: 0))
    let total = try rowCount()
    try await eachBatch { batch throws(SyncError) in
      report.files += batch.count
      let listed = try await listed(through: batch, in: bucket, cursor: &listing)
      let copied = await each(batch, total: total, tally: tally, progress: progress) { file in
        // Never upload bytes that are not the recorded file: the bucket would keep the damage for good.
        let verdict = ArchiveVerifier.check(file.path, in: files.owned, sha256: file.sha256).verdict
        guard verdict == .intact else {
          tally.fail(nil, "\(file.path) is \(verdict == .missing ? "missing" : "damaged"): run verify --repair first")
          return 0
        }
        return try await bucket.keep([file], from: files.owned, listed: listed) > 0 ? file.bytes : 0
      }
      report.copied += copied.files
      report.bytesCopied += copied.bytes
      return tally.fatal == nil
    }
    report.alreadyThere = report.files - report.copied - tally.report.failures.count
    report.failures = tally.report.failures
    if let fatal = tally.fatal { throw fatal }
    guard report.failures.isEmpty else { return report }
    // A last look from the server's side before the archive depends on it.
    try await confirmListed(in: bucket)
    do {
      try settings.remember(in: store)
    } catch {
      throw SyncError.store(error)
    }
    report.switched = true
    report.removedLocally = try await bucket.trimCache(of: files.owned, store: store).files
    return report
  }

  /// Brings every image from `bucket` into the archive's folder, which the archive keeps them in from then on; the
  /// objects stay in the bucket.
  ///
  /// - Throws: `SyncError.files` when the disk has no room for them, `.bucket` when the bucket refuses, `.store`.
  public func moveToFolder(
    from bucket: BucketImageStore, progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
  ) async throws(SyncError) -> ImageMigrationReport {
    let files = try archiveFiles()
    var report = ImageMigrationReport()
    // Two passes over the rows: the room needed first (the cache's copies hashed), then the copies.
    var needed: (files: Int, bytes: Int64) = (0, 0)
    try await eachBatch { batch throws(SyncError) in
      report.files += batch.count
      for file in batch where !Self.isIntact(file, in: files) {
        needed = (needed.files + 1, needed.bytes + Int64(file.bytes))
      }
      return true
    }
    try checkRoom(for: needed.bytes, in: files.owned)
    let tally = SyncTally(logger: logger, pacer: RequestPacer(perSecond: 0))
    try await eachBatch { batch throws(SyncError) in
      let wanted = batch.filter { !Self.isIntact($0, in: files) }
      let copied = await each(wanted, total: needed.files, tally: tally, progress: progress) { file in
        try await bucket.restore(file, into: files.owned, replacing: true)
      }
      report.copied += copied.files
      report.bytesCopied += copied.bytes
      return tally.fatal == nil
    }
    report.alreadyThere = report.files - needed.files
    report.failures = tally.report.failures
    if let fatal = tally.fatal { throw fatal }
    guard report.failures.isEmpty else { return report }
    do {
      try store.replaceSettings(prefix: "images.", with: [:])
    } catch {
      throw SyncError.store(error)
    }
    report.switched = true
    return report
  }

  // MARK: - Shared steps

  private func rememberedSettings() throws(SyncError) -> BucketSettings? {
    do {
      return try BucketSettings.remembered(in: store)
    } catch let error as StoreError {
      throw SyncError.store(error)
    } catch {
      throw SyncError.files("the archive's image settings cannot be read: \(error)")
    }
  }

  /// The archive's folders, ready.
  private func archiveFiles() throws(SyncError) -> ArchiveFiles {
    do {
      let folders = try ArchiveFiles(root: store.directory)
      try folders.prepare()
      return folders
    } catch {
      throw SyncError.files(error.description)
    }
  }

  private func rowCount() throws(SyncError) -> Int {
    do {
      return try store.imageRowCount()
    } catch {
      throw SyncError.store(error)
    }
  }

  /// Runs `body` on each batch of the distinct files the rows name, in path order, until it returns false; a row
  /// leading outside `images/` fails.
  private func eachBatch(_ body: ([StoredFile]) async throws(SyncError) -> Bool) async throws(SyncError) {
    do {
      for try await batch in store.imageFiles(byPath: true) {
        if let unsafe = batch.first(where: { !ArchivePath.isSafe($0.path) }) {
          throw SyncError.files("a row names \(unsafe.path.singleLine(limit: 200)): run verify --repair first")
        }
        guard try await body(batch) else { return }
      }
    } catch let error as SyncError {
      throw error
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .files("the archive's image rows cannot be read: \(error)")
    }
  }

  private static func isIntact(_ file: StoredFile, in files: ArchiveFiles) -> Bool {
    ArchiveVerifier.check(file.path, in: files.owned, sha256: file.sha256).verdict == .intact
  }

  /// A cursor over the bucket's image keys, in the order of the rows' paths.
  private func listingCursor(of bucket: BucketImageStore) -> S3ListingCursor {
    S3ListingCursor(client: bucket.client, prefixes: ArchiveFiles.folders.map { bucket.key(for: $0) + "/" })
  }

  /// The objects listed up to the last file of `batch`, by key.
  private func listed(
    through batch: [StoredFile], in bucket: BucketImageStore, cursor: inout S3ListingCursor
  ) async throws(SyncError) -> [String: S3ObjectInfo] {
    guard let last = batch.last else { return [:] }
    do {
      return try await cursor.objects(through: bucket.key(for: last.path))
    } catch {
      throw SyncError.bucket(error)
    }
  }

  /// Runs `body` for each file, `concurrency` at once, sorting its errors into the tally.
  ///
  /// - Parameters:
  ///   - total: Files in the whole run, for the progress line.
  ///   - body: Copies one file; returns its bytes, or 0 when the target held it already.
  /// - Returns: How many files were copied, and their bytes.
  private func each(
    _ files: [StoredFile], total: Int, tally: SyncTally, progress: @escaping @Sendable (SyncProgress) -> Void,
    _ body: @escaping @Sendable (StoredFile) async throws -> Int
  ) async -> (files: Int, bytes: Int64) {
    let copied = Locked((files: 0, bytes: Int64(0)))
    await files.boundedForEach(limit: concurrency, shouldStop: { tally.fatal != nil }) { file in
      do {
        let bytes = try await body(file)
        if bytes > 0 {
          copied.withLock { $0 = ($0.files + 1, $0.bytes + Int64(bytes)) }
          tally.update { $0.counts.bytesDownloaded += bytes }
        }
      } catch {
        tally.absorb(error, taskId: nil, context: file.path)
      }
      progress(tally.step(.migrating, total: total))
    }
    return copied.withLock { $0 }
  }

  /// Lists the image keys and checks every file is there with its size.
  private func confirmListed(in bucket: BucketImageStore) async throws(SyncError) {
    var listing = listingCursor(of: bucket)
    try await eachBatch { batch throws(SyncError) in
      let objects = try await listed(through: batch, in: bucket, cursor: &listing)
      for file in batch where objects[bucket.key(for: file.path)]?.size != file.bytes {
        throw SyncError.files(
          "\(bucket.key(for: file.path)) is not listed in \(bucket.client.place) with its size after its upload; "
            + "the archive stays in its folder: run migrate-images again")
      }
      return true
    }
  }

  /// Fails when the archive's file system has less free room than `bytes` and a margin.
  private func checkRoom(for bytes: Int64, in archive: OwnedFolder) throws(SyncError) {
    var status = statvfs()
    guard statvfs(archive.root.path, &status) == 0 else { return }
    let free = Int64(status.f_bavail) * Int64(status.f_frsize)
    let margin: Int64 = 64 << 20
    if bytes + margin > free {
      throw SyncError.files(
        "the images need \(ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file)) and "
          + "\(archive.root.path) has \(ByteCountFormatter.string(fromByteCount: free, countStyle: .file)) free: "
          + "make room first")
    }
  }
}
