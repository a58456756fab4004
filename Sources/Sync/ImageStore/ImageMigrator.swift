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
    let (files, records) = try recordedFiles()
    var report = ImageMigrationReport()
    report.files = records.count
    if remembered != nil {
      // Moved already: the cache may have let files go, which the bucket holds.
      report.alreadyThere = records.count
      report.switched = true
      return report
    }
    // One listing instead of a HEAD a file: what an interrupted run stored is skipped.
    let listed: [String: S3ObjectInfo]
    do {
      listed = try await bucket.listImageObjects()
    } catch {
      throw SyncError.bucket(error)
    }
    let tally = SyncTally(logger: logger, pacer: RequestPacer(perSecond: 0))
    (report.copied, report.bytesCopied) = await each(records, tally: tally, progress: progress) { file in
      // Never upload bytes that are not the recorded file: the bucket would keep the damage for good.
      let verdict = ArchiveVerifier.check(file.path, in: files.owned, sha256: file.sha256).verdict
      guard verdict == .intact else {
        tally.fail(nil, "\(file.path) is \(verdict == .missing ? "missing" : "damaged"): run verify --repair first")
        return 0
      }
      return try await bucket.keep([file], from: files.owned, listed: listed) > 0 ? file.bytes : 0
    }
    report.alreadyThere = records.count - report.copied - tally.report.failures.count
    report.failures = tally.report.failures
    if let fatal = tally.fatal { throw fatal }
    guard report.failures.isEmpty else { return report }
    // A last look from the server's side before the archive depends on it.
    try await confirmListed(records, in: bucket)
    do {
      try settings.remember(in: store)
    } catch {
      throw SyncError.store(error)
    }
    report.switched = true
    do {
      report.removedLocally = bucket.trimCache(of: files.owned, recorded: try store.imagePaths()).files
    } catch {
      throw SyncError.store(error)
    }
    return report
  }

  /// Brings every image from `bucket` into the archive's folder, which the archive keeps them in from then on; the
  /// objects stay in the bucket.
  ///
  /// - Throws: `SyncError.files` when the disk has no room for them, `.bucket` when the bucket refuses, `.store`.
  public func moveToFolder(
    from bucket: BucketImageStore, progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
  ) async throws(SyncError) -> ImageMigrationReport {
    let (files, records) = try recordedFiles()
    var report = ImageMigrationReport()
    report.files = records.count
    let wanted = records.filter {
      ArchiveVerifier.check($0.path, in: files.owned, sha256: $0.sha256).verdict != .intact
    }
    try checkRoom(for: wanted.reduce(0) { $0 + Int64($1.bytes) }, in: files.owned)
    let tally = SyncTally(logger: logger, pacer: RequestPacer(perSecond: 0))
    (report.copied, report.bytesCopied) = await each(wanted, tally: tally, progress: progress) { file in
      try await bucket.restore(file, into: files.owned, replacing: true)
    }
    report.alreadyThere = records.count - wanted.count
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

  /// The archive's folders and one row per distinct file the rows name; a row leading outside `images/` fails.
  private func recordedFiles() throws(SyncError) -> (ArchiveFiles, [StoredFile]) {
    let records: [ImageRecord]
    do {
      records = try store.imageRecords()
    } catch {
      throw SyncError.store(error)
    }
    var seen = Set<String>()
    var files: [StoredFile] = []
    for record in records where seen.insert(record.file.path).inserted {
      guard ArchivePath.isSafe(record.file.path) else {
        throw SyncError.files("a row names \(record.file.path.singleLine(limit: 200)): run verify --repair first")
      }
      files.append(record.file)
    }
    do {
      let folders = try ArchiveFiles(root: store.directory)
      try folders.prepare()
      return (folders, files)
    } catch {
      throw SyncError.files(error.description)
    }
  }

  /// Runs `body` for each file, `concurrency` at once, sorting its errors into the tally.
  ///
  /// - Parameter body: Copies one file; returns its bytes, or 0 when the target held it already.
  /// - Returns: How many files were copied, and their bytes.
  private func each(
    _ files: [StoredFile], tally: SyncTally, progress: @escaping @Sendable (SyncProgress) -> Void,
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
      progress(tally.step(.migrating, total: files.count))
    }
    return copied.withLock { $0 }
  }

  /// Lists the image keys and checks every file is there with its size.
  private func confirmListed(_ files: [StoredFile], in bucket: BucketImageStore) async throws(SyncError) {
    let objects: [String: S3ObjectInfo]
    do {
      objects = try await bucket.listImageObjects()
    } catch {
      throw SyncError.bucket(error)
    }
    for file in files where objects[bucket.key(for: file.path)]?.size != file.bytes {
      throw SyncError.files(
        "\(bucket.key(for: file.path)) is not listed in \(bucket.client.place) with its size after its upload; "
          + "the archive stays in its folder: run migrate-images again")
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
