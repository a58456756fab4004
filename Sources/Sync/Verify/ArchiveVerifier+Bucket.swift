import ArchiveStore
import Basics
import Crypto
import Foundation
import ObjectStorage

extension ArchiveVerifier {
  /// Runs every check on an archive that keeps its images in `bucket`: each row's object is there with its size
  /// (with `deep`, downloaded and re-hashed, `concurrency` at once), objects under the image keys no row names, and
  /// the copies in the local cache against their SHA-256 (a file the cache let go is no problem).
  ///
  /// - Throws: `SyncError.store` when the archive cannot be read, `.bucket` when the bucket cannot be listed or read.
  public func verify(
    in bucket: BucketImageStore, deep: Bool = false, concurrency: Int = 8,
    progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
  ) async throws(SyncError) -> VerifyReport {
    var report = try databaseChecks()
    report.bucket = bucket.location.description
    report.deep = deep
    let archive = try archiveFolder()
    let byPath = Dictionary(grouping: report.records, by: \.file.path)
    let paths = byPath.keys.sorted()
    let objects: [String: S3ObjectInfo]
    do {
      objects = try await bucket.listImageObjects()
    } catch {
      throw SyncError.bucket(error)
    }
    // 1. Each row's object, by its listed size.
    var toHash: [(path: String, key: String, file: StoredFile)] = []
    for path in paths {
      let taskIds = (byPath[path] ?? []).map(\.taskId)
      guard ArchivePath.isSafe(path), let file = byPath[path]?.first?.file else {
        report.problems.append(Self.unsafe(path, taskIds: taskIds))
        continue
      }
      let key = bucket.key(for: path)
      report.filesChecked += 1
      guard let object = objects[key] else {
        report.problems.append(
          VerifyProblem(
            kind: .missing, path: path, taskIds: taskIds, detail: "no object \(key) in \(bucket.client.place)",
            objectKey: key))
        continue
      }
      report.bytesChecked += Int64(object.size)
      if object.size != file.bytes {
        report.problems.append(
          VerifyProblem(
            kind: .damaged, path: path, taskIds: taskIds,
            detail: "the object \(key) holds \(object.size) bytes, the archive recorded \(file.bytes)", objectKey: key))
      } else if deep {
        toHash.append((path, key, file))
      }
    }
    progress(SyncProgress(phase: .verifying, done: paths.count, total: paths.count, bytes: 0, failed: 0))
    // 2. With `deep`, their bytes.
    if deep {
      for (path, detail) in try await hashObjects(toHash, in: bucket, concurrency: concurrency, progress: progress) {
        let key = bucket.key(for: path)
        report.problems.append(
          VerifyProblem(
            kind: .damaged, path: path, taskIds: (byPath[path] ?? []).map(\.taskId), detail: detail, objectKey: key))
      }
    }
    // 3. The local cache: what it holds must be the recorded file, or a split would start from the wrong bytes.
    let safe = paths.filter(ArchivePath.isSafe)
    let cached = checkFiles(
      safe.map { (path: $0, sha256: byPath[$0]?.first?.file.sha256 ?? "") }, in: archive, progress: { _ in })
    for (path, outcome) in zip(safe, cached) {
      guard case .damaged(let reason) = outcome.verdict else { continue }
      report.problems.append(
        VerifyProblem(
          kind: .damagedCache, path: path, taskIds: (byPath[path] ?? []).map(\.taskId),
          detail: "the cached copy is not the recorded file (\(reason)): --repair removes it; the bucket holds the file"
        ))
    }
    report.problems += incompleteImages(report.records)
    report.problems += strays(known: Set(paths), in: archive)
    // 4. Objects no row names: uploads a killed run never recorded, or files put there by hand.
    let known = Set(safe.map(bucket.key(for:)))
    for key in objects.keys.sorted() where !known.contains(key) {
      let place = "s3://\(bucket.location.bucket)/\(key)"
      guard ArchivePath.isSafe("images/" + key.dropFirst(bucket.key(for: "").count)) else {
        report.problems.append(
          VerifyProblem(kind: .unsafePath, path: place, detail: "a key no archive makes: left alone, never deleted"))
        continue
      }
      report.problems.append(
        VerifyProblem(kind: .stray, path: place, detail: "no row names this object", objectKey: key))
    }
    return report
  }

  /// Downloads and hashes each object, `concurrency` at once.
  ///
  /// - Returns: What is wrong with each object that is not the recorded file, by path.
  private func hashObjects(
    _ objects: [(path: String, key: String, file: StoredFile)], in bucket: BucketImageStore, concurrency: Int,
    progress: @escaping @Sendable (SyncProgress) -> Void
  ) async throws(SyncError) -> [(path: String, detail: String)] {
    let found = Locked<(problems: [(path: String, detail: String)], failure: S3Error?, done: Int, bytes: Int)>(
      ([], nil, 0, 0))
    await objects.boundedForEach(limit: concurrency, shouldStop: { found.withLock { $0.failure != nil } }) { object in
      let problem: String?
      do throws(S3Error) {
        if let body = try await bucket.client.get(object.key, maximumBytes: object.file.bytes + 1) {
          let sha = SHA256.hash(data: body).lowercaseHex
          problem =
            sha == object.file.sha256.lowercased()
            ? nil
            : "the object \(object.key) hashes to \(sha.prefix(12))…, the archive recorded "
              + "\(object.file.sha256.prefix(12))… (\(body.count) bytes)"
        } else {
          problem = "the object \(object.key) went away while verify read it"
        }
      } catch {
        found.withLock { if $0.failure == nil { $0.failure = error } }
        return
      }
      let now = found.withLock { found in
        if let problem { found.problems.append((object.path, problem)) }
        found.done += 1
        found.bytes += object.file.bytes
        return found
      }
      progress(
        SyncProgress(
          phase: .verifying, done: now.done, total: objects.count, bytes: now.bytes, failed: now.problems.count))
    }
    let result = found.withLock { $0 }
    if let failure = result.failure { throw SyncError.bucket(failure) }
    return result.problems.sorted { $0.path < $1.path }
  }
}
