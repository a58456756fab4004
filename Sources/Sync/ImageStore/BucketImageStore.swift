import ArchiveStore
import Basics
import Crypto
import Foundation
import HeapModule
import ObjectStorage
import SafeFiles

/// Keeps the archive's image files in an S3-compatible bucket, so the local `images/` folder is only a bounded
/// cache of recent files.
///
/// Keys mirror the local layout under the location's prefix (`PREFIX/originals/ab/<sha256>.png`,
/// `PREFIX/quadrants/…`, `PREFIX/thumbs/…`). A file is uploaded (unless the bucket holds it already, with its size)
/// before its row is written, so a row always names an object the server confirmed.
public struct BucketImageStore: Sendable {
  public let client: S3Client
  public let location: S3Location
  /// Most bytes of image files the local cache keeps after a run; files whose upload is not confirmed stay
  /// whatever their size.
  public let cacheBytes: Int64
  /// Keys whose object is not trusted even with the right size (verify found other bytes): uploaded over.
  public var distrusted: Set<String> = []

  public init(client: S3Client, location: S3Location, cacheBytes: Int64 = 1 << 30) {
    self.client = client
    self.location = location
    self.cacheBytes = cacheBytes
  }

  /// The object key of an archive file: `images/originals/ab/x.png` → `PREFIX/originals/ab/x.png`.
  public func key(for path: String) -> String {
    location.key(path.hasPrefix("images/") ? String(path.dropFirst("images/".count)) : path)
  }

  /// Uploads each file the bucket does not hold already; returns once the server has confirmed all.
  ///
  /// An original is named by its SHA-256, so another task may have stored it: a HEAD asks first, and its size
  /// decides. A quadrant or thumbnail is named by its task and was just made: it is put (a re-made one may differ
  /// in its bytes alone). With `listed` (a listing of the image keys), no HEAD is sent: what it lists counts, a
  /// task-named file only when the ETag is its MD5.
  /// - Returns: How many were uploaded (the others the bucket held).
  /// - Throws: `S3Error` from the server, `SyncError.files` when a local file is gone or changed.
  @discardableResult
  func keep(_ files: [StoredFile], from archive: OwnedFolder, listed: [String: S3ObjectInfo]? = nil) async throws
    -> Int
  {
    var uploaded = 0
    for file in files {
      let key = key(for: file.path)
      let stored: S3ObjectInfo?
      if distrusted.contains(key) {
        stored = nil
      } else if let listed {
        stored = listed[key]
      } else {
        stored = file.kind == .original ? try await client.head(key) : nil
      }
      if let stored, file.kind == .original, stored.size == file.bytes { continue }
      guard let body = try archive.contents(file.path), body.count == file.bytes else {
        throw SyncError.files("\(file.path) changed on disk before it was uploaded; the next sync makes it again")
      }
      if let stored, stored.holds(body) { continue }
      // Originals are named by their content and never change; quadrants and thumbnails are named by task.
      let cacheControl = file.kind == .original ? "public, max-age=31536000, immutable" : "public, max-age=86400"
      try await client.put(
        key, body: body, sha256: file.sha256, contentType: Self.contentType(file.format), cacheControl: cacheControl)
      uploaded += 1
    }
    return uploaded
  }

  /// Every object under the three image folders' keys, by key: one request per thousand.
  func listImageObjects() async throws(S3Error) -> [String: S3ObjectInfo] {
    var objects: [String: S3ObjectInfo] = [:]
    for folder in ArchiveFiles.folders {
      for object in try await client.listAll(prefix: key(for: folder) + "/") { objects[object.key] = object }
    }
    return objects
  }

  /// Brings a recorded file back into the local cache when it was evicted (or, with `replacing`, over a local copy
  /// found wrong), checking its size and SHA-256 before it takes the file's name.
  ///
  /// - Returns: The bytes written (0 when the cache held the file).
  @discardableResult
  func restore(_ file: StoredFile, into archive: OwnedFolder, replacing: Bool = false) async throws -> Int {
    if !replacing, try archive.status(file.path) != nil { return 0 }
    let body = try await object(of: file.path, sha256: file.sha256, bytes: file.bytes)
    try archive.folder((file.path as NSString).deletingLastPathComponent, mode: 0o700)
    try archive.write(body, to: file.path, mode: 0o600)
    return body.count
  }

  /// The bytes of the recorded file at `path` (`images/…`): the local cache's copy when it is that file, else the
  /// bucket's object.
  ///
  /// - Throws: `S3Error` from the server, `SyncError.files` when the object is missing or not the recorded file.
  func contents(of path: String, sha256: String, bytes: Int, cache: OwnedFolder?) async throws -> Data {
    if let cached = try? cache?.contents(path), cached.count == bytes,
      SHA256.hash(data: cached).lowercaseHex == sha256
    {
      return cached
    }
    return try await object(of: path, sha256: sha256, bytes: bytes)
  }

  /// `contents(of:sha256:bytes:cache:)` with the cache of the archive at `archive`.
  public func reader(cachedIn archive: URL)
    -> @Sendable (_ path: String, _ sha256: String, _ bytes: Int) async throws
    -> Data
  {
    let cache = try? OwnedFolder(archive, create: false)
    return { path, sha256, bytes in try await contents(of: path, sha256: sha256, bytes: bytes, cache: cache) }
  }

  /// The bucket's object of the file at `path`, checked by size and SHA-256.
  private func object(of path: String, sha256: String, bytes: Int) async throws -> Data {
    let key = key(for: path)
    guard let body = try await client.get(key, maximumBytes: max(bytes, 1) + 1) else {
      throw SyncError.files("\(key) is missing from \(client.place); run verify --repair")
    }
    guard body.count == bytes, SHA256.hash(data: body).lowercaseHex == sha256 else {
      throw SyncError.files("\(key) in \(client.place) is not the recorded file; run verify --repair")
    }
    return body
  }

  /// Removes the oldest cached files until the files the rows name hold at most `cacheBytes` in the cache; a file
  /// no row names (its upload is not confirmed, or a temporary file) is never removed.
  ///
  /// The rows are read in batches and the newest files that fit are kept in a heap by age: memory follows the
  /// cache's size, not the archive's.
  /// - Returns: How many files and bytes were removed.
  /// - Throws: `SyncError.store` when the rows cannot be read.
  @discardableResult
  func trimCache(of archive: OwnedFolder, store: ArchiveStore) async throws(SyncError) -> (files: Int, bytes: Int64) {
    var kept = Heap<CachedFile>()
    var keptPaths = Set<String>()
    var total: Int64 = 0
    var removed = (files: 0, bytes: Int64(0))
    do {
      for try await batch in store.imageFiles(byPath: false) {
        // A row anyone may have edited could name the database itself: only the image folders are trimmed.
        for file in batch where ArchivePath.isSafe(file.path) && !keptPaths.contains(file.path) {
          guard let status = try? archive.status(file.path), (status.st_mode & S_IFMT) == S_IFREG else { continue }
          let cached = CachedFile(
            modified: Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec), path: file.path,
            bytes: Int64(status.st_size))
          kept.insert(cached)
          keptPaths.insert(cached.path)
          total += cached.bytes
          while total > cacheBytes, let oldest = kept.popMin() {
            keptPaths.remove(oldest.path)
            total -= oldest.bytes
            guard (try? archive.remove(oldest.path)) == true else { continue }
            removed.files += 1
            removed.bytes += oldest.bytes
          }
        }
      }
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .files("the archive's image rows cannot be read: \(error)")
    }
    return removed
  }

  static func contentType(_ format: String) -> String {
    switch format.uppercased() {
    case "PNG": return "image/png"
    case "JPEG": return "image/jpeg"
    case "WEBP": return "image/webp"
    default: return "application/octet-stream"
    }
  }
}
