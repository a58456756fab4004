import ArchiveStore
import Foundation
import ObjectStorage

/// Where an archive keeps its images when not only in its folder: the bucket, its server and the local cache's
/// size, as remembered in the archive's `settings` table (never the credentials).
public struct BucketSettings: Sendable, Equatable {
  public var location: S3Location
  public var endpoint: S3Endpoint
  public var cacheBytes: Int64

  /// The default local cache: 1 GiB.
  public static let defaultCacheBytes: Int64 = 1 << 30

  public init(location: S3Location, endpoint: S3Endpoint, cacheBytes: Int64 = defaultCacheBytes) {
    self.location = location
    self.endpoint = endpoint
    self.cacheBytes = cacheBytes
  }

  /// What the archive remembers, or nil when it keeps its images in its folder only.
  ///
  /// - Throws: `S3Error` when the remembered values no longer parse (edited by hand), `StoreError` when unreadable.
  public static func remembered(in store: ArchiveStore) throws -> BucketSettings? {
    let values = try store.settings(prefix: "images.")
    guard let location = values["images.location"] else { return nil }
    return BucketSettings(
      location: try S3Location(location),
      endpoint: try S3Endpoint(
        url: values["images.s3_endpoint"] ?? "", region: values["images.s3_region"] ?? "us-east-1",
        pathStyle: values["images.s3_path_style"] == "true"),
      cacheBytes: values["images.cache_bytes"].flatMap(Int64.init) ?? defaultCacheBytes)
  }

  /// Makes the archive remember these settings.
  public func remember(in store: ArchiveStore) throws(StoreError) {
    try store.replaceSettings(
      prefix: "images.",
      with: [
        "images.location": location.description, "images.s3_endpoint": endpoint.description,
        "images.s3_region": endpoint.region, "images.s3_path_style": endpoint.pathStyle ? "true" : "false",
        "images.cache_bytes": String(cacheBytes),
      ])
  }

  /// True when `other` is a place in the same bucket of the same server.
  public func isSameBucket(as other: BucketSettings) -> Bool {
    location.bucket == other.location.bucket && endpoint.description == other.endpoint.description
  }

  /// True when `location` (in the same bucket) lies in the folders this archive keeps its images in, where `verify`
  /// counts every object no row names as a stray.
  public func imageFoldersContain(_ location: S3Location) -> Bool {
    guard location.bucket == self.location.bucket else { return false }
    return ArchivePath.imageFolders.contains { folder in
      let top = self.location.key(String(folder))
      return location.prefix == top || location.prefix.hasPrefix(top + "/")
    }
  }
}
