import ArchiveStore
import Basics
import Crypto
import Foundation
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
  public func contents(of path: String, sha256: String, bytes: Int, cache: OwnedFolder?) async throws -> Data {
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

  /// Removes the oldest cached files until the cache holds at most `cacheBytes`, never a file no row names (its
  /// upload is not confirmed; temporary files are named by no row).
  ///
  /// - Returns: How many files and bytes were removed.
  @discardableResult
  func trimCache(of archive: OwnedFolder, recorded: Set<String>) -> (files: Int, bytes: Int64) {
    var cached: [(path: String, bytes: Int64, modified: Int)] = []
    var total: Int64 = 0
    func walk(_ folder: String, depth: Int) {
      for entry in (try? archive.entries(folder)) ?? [] {
        let path = "\(folder)/\(entry.name)"
        if entry.kind == .folder, depth > 0 {
          walk(path, depth: depth - 1)
        } else if entry.kind == .file, let status = try? archive.status(path) {
          total += Int64(status.st_size)
          if recorded.contains(path) {
            cached.append((path, Int64(status.st_size), Int(status.st_mtim.tv_sec)))
          }
        }
      }
    }
    for folder in ArchiveFiles.folders { walk(folder, depth: 1) }
    var removed = (files: 0, bytes: Int64(0))
    for file in cached.sorted(by: { $0.modified < $1.modified }) where total > cacheBytes {
      guard (try? archive.remove(file.path)) == true else { continue }
      total -= file.bytes
      removed.files += 1
      removed.bytes += file.bytes
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
