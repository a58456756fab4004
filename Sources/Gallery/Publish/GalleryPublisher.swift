import Basics
import Crypto
import Foundation
import ObjectStorage
import SafeFiles

/// Publishes a gallery an export wrote on disk into a bucket, so any static host or CDN in front of it serves it.
///
/// Only what changed since the last publish is uploaded: the bucket keeps the gallery's manifest (each file's
/// fingerprint, as the export recorded it) beside the pages, and a file whose fingerprint the bucket's manifest
/// already lists is left alone (images are named by their content). New and changed files go up first, then the
/// manifest, and only then are the objects of files the gallery no longer has deleted, so a page never links to an
/// object that is gone; a publish cut short is finished by the next. Only keys of the gallery's own folders under
/// the prefix are ever deleted.
public struct GalleryPublisher: Sendable {
  public let client: S3Client
  public let location: S3Location
  /// Uploads in flight at once.
  public var concurrency = 8

  public init(client: S3Client, location: S3Location) {
    self.client = client
    self.location = location
  }

  /// Where the gallery for a bucket is made before it is published: the archive's `published/` folder, a subfolder
  /// per server and location, named by their hash so no name given on the command line becomes a path.
  public static func stagingFolder(in archive: URL, for place: String) -> URL {
    let name = SHA256.hash(data: Data(place.utf8)).lowercaseHex.prefix(16)
    return archive.appendingPathComponent("published").appendingPathComponent(String(name))
  }

  /// Uploads what changed in the gallery at `folder` and deletes what it no longer has.
  ///
  /// - Parameters:
  ///   - fetching: Images the gallery names and does not hold (`GalleryImageSource.fetched`): each one the bucket
  ///     lacks is read with `read`, checked, and uploaded.
  /// - Throws: `GalleryError.bucket` when the bucket refuses or fails after retries, `.folder` when a file of the
  ///   gallery cannot be read safely, `.imageUnavailable` when an image to fetch cannot be.
  public func publish(
    _ folder: URL, fetching: [GalleryImageFetch] = [],
    read: @escaping @Sendable (GalleryImageFetch) async throws -> Data = { _ in Data() },
    progress: @escaping @Sendable (GalleryProgress) -> Void = { _ in }
  ) async throws(GalleryError) -> GalleryPublishReport {
    let fetches = Dictionary(fetching.map { ($0.galleryPath, $0) }, uniquingKeysWith: { first, _ in first })
    let owned: OwnedFolder
    let current: [String: GalleryFolder.Entry]
    do {
      owned = try OwnedFolder(folder, create: false)
      current = try owned.contents(GalleryFolder.manifestName).map(GalleryFolder.parse) ?? [:]
    } catch {
      throw .folder(error)
    }
    let manifestKey = location.key(GalleryFolder.manifestName)
    let published: [String: GalleryFolder.Entry]
    do {
      published = try await client.get(manifestKey).map(GalleryFolder.parse) ?? [:]
    } catch {
      throw .bucket(error)
    }
    let changed = current.filter { published[$0.key]?.fingerprint != $0.value.fingerprint }.keys.sorted {
      // Images before the pages that show them.
      ($0.hasPrefix("i/") ? 0 : 1, $0) < ($1.hasPrefix("i/") ? 0 : 1, $1)
    }
    var report = GalleryPublishReport()
    report.unchanged = current.count - changed.count
    report.indexLocation = "s3://\(location.bucket)/\(location.key("index.html"))"
    (report.uploaded, report.bytesUploaded) = try await GalleryTransfer.each(
      changed, limit: concurrency, stage: "uploading", progress: progress
    ) { path throws(GalleryError) in
      try await upload(path, from: owned, fetch: fetches[path], read: read)
    }
    do {
      if !changed.isEmpty || published.count != current.count {
        guard let manifest = try owned.contents(GalleryFolder.manifestName) else {
          throw GalleryError.cannotWrite(path: folder.path, reason: "its manifest went away while publishing")
        }
        try await client.put(
          manifestKey, body: manifest, contentType: "text/plain; charset=utf-8", cacheControl: "no-cache")
      }
      for path in published.keys.sorted() where current[path] == nil && GalleryFolder.isOwned(path) {
        try await client.delete(location.key(path))
        report.deleted += 1
      }
    } catch let error as S3Error {
      throw .bucket(error)
    } catch let error as OwnedFolderError {
      throw .folder(error)
    } catch let error as GalleryError {
      throw error
    } catch {
      throw .cannotWrite(path: location.description, reason: "\(error)")
    }
    return report
  }

  /// Uploads one file of the gallery (or the image `fetch` names) with its type and caching.
  ///
  /// - Returns: Its bytes.
  private func upload(
    _ path: String, from owned: OwnedFolder, fetch: GalleryImageFetch?,
    read: (GalleryImageFetch) async throws -> Data
  ) async throws(GalleryError) -> Int {
    let body: Data
    if let fetch {
      body = try await fetch.read(with: read)
    } else {
      body = try contents(path, from: owned)
    }
    do {
      try await client.put(
        location.key(path), body: body, contentType: Self.contentType(of: path),
        cacheControl: Self.cacheControl(of: path))
    } catch {
      throw .bucket(error)
    }
    return body.count
  }

  /// The bytes of the gallery's file at `path`.
  private func contents(_ path: String, from owned: OwnedFolder) throws(GalleryError) -> Data {
    let body: Data
    do {
      guard let contents = try owned.contents(path) else {
        throw GalleryError.cannotWrite(
          path: owned.path(path), reason: "the export listed it and it is gone: export again")
      }
      body = contents
    } catch let error as OwnedFolderError {
      throw .folder(error)
    } catch let error as GalleryError {
      throw error
    } catch {
      throw .cannotWrite(path: owned.path(path), reason: "\(error)")
    }
    return body
  }

  /// The type a browser needs to show the file (S3 would serve `application/octet-stream`).
  static func contentType(of path: String) -> String {
    switch (path as NSString).pathExtension.lowercased() {
    case "html": return "text/html; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js": return "text/javascript; charset=utf-8"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "webp": return "image/webp"
    default: return "application/octet-stream"
    }
  }

  /// How long a copy may be kept: a year for images (named by content, never changed), five minutes for pages and
  /// assets (their names stay across exports).
  static func cacheControl(of path: String) -> String {
    path.hasPrefix("i/") ? "public, max-age=31536000, immutable" : "public, max-age=300"
  }
}
