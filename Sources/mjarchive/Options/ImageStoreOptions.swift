import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import MidjourneyAPI
import ObjectStorage
import Sync

/// `--images s3://BUCKET/PREFIX` and the bucket's server: where a sync keeps the images, remembered by the archive.
struct ImageStoreOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Keep the images in this bucket (s3://BUCKET/PREFIX), the local images/ folder only a cache; the archive "
        + "remembers it."))
  var images: String?

  @OptionGroup var server: S3ServerOptions

  @Option(help: "Most bytes of images the local cache keeps with a bucket, e.g. 500M or 2G (default 1G).")
  var cacheSize: String?

  func validate() throws {
    if let cacheSize { _ = try Self.bytes(cacheSize) }
  }

  /// The bucket this run keeps images in: the one given (remembered from now on) or the one the archive remembers;
  /// nil for the archive's folder only.
  ///
  /// - Throws: `S3Error` (a malformed address, missing credentials), `StoreError`, or `ValidationError` for a
  ///   change of bucket, which needs the images moved first.
  func bucket(for store: ArchiveStore, transport: any HTTPTransport) throws -> BucketImageStore? {
    let remembered = try BucketSettings.remembered(in: store)
    guard var settings = try given(remembered: remembered) else { return nil }
    if let remembered, remembered.location != settings.location || remembered.endpoint.host != settings.endpoint.host {
      throw ValidationError(
        "this archive keeps its images in \(remembered.location) at \(remembered.endpoint); to keep them elsewhere, "
          + "move them back with `mjarchive migrate-images --to-local`, then to the new place")
    }
    if remembered == nil, try store.hasImages() {
      throw ValidationError(
        "this archive keeps its images in its own folder: move them with `mjarchive migrate-images --to "
          + "\(settings.location)` (and the same --s3-… options) first")
    }
    if let cacheSize { settings.cacheBytes = try Self.bytes(cacheSize) }
    let bucket = try server.credentials.store(settings, transport: transport)
    if settings != remembered { try settings.remember(in: store) }
    return bucket
  }

  /// The settings the options give, on top of what is remembered; nil when neither names a bucket.
  private func given(remembered: BucketSettings?) throws -> BucketSettings? {
    guard let images else {
      guard let remembered else {
        if server.isGiven || cacheSize != nil {
          throw ValidationError("--s3-… and --cache-size go with --images s3://BUCKET/PREFIX")
        }
        return nil
      }
      return try server.overriding(remembered)
    }
    return try server.settings(for: images, remembered: remembered)
  }

  /// Reads a size: bytes, or a number with K, M, G or T (powers of 1024; `iB` or `B` after it allowed).
  static func bytes(_ text: String) throws -> Int64 {
    var number = text.trimmingCharacters(in: .whitespaces).uppercased()
    for suffix in ["IB", "B"] where number.hasSuffix(suffix) { number.removeLast(suffix.count) }
    let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var unit: Int64 = 1
    if let last = number.last, let scale = units[last] {
      unit = scale
      number.removeLast()
    }
    guard let value = Int64(number), value >= 0, value <= (1 << 50) / unit else {
      throw ValidationError("--cache-size takes a size like 500M, 2G or 1073741824")
    }
    return value * unit
  }
}
