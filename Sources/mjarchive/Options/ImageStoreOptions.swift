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

  @Option(help: "The S3-compatible server (default: AWS S3 in --s3-region), e.g. http://127.0.0.1:9000.")
  var s3Endpoint: String?

  @Option(help: "The region requests are signed for (default us-east-1; auto for Cloudflare R2).")
  var s3Region: String?

  @Flag(help: "Address the bucket by path (https://host/BUCKET), as MinIO, SeaweedFS and servers on an IP need.")
  var s3PathStyle = false

  @Option(
    help: ArgumentHelp(
      "Read the access key from this file (the AWS CLI's credentials, or AWS_ACCESS_KEY_ID=… lines) instead of "
        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."))
  var s3CredentialsFile: String?

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
  func bucket(
    for store: ArchiveStore, transport: any HTTPTransport, environment: [String: String]
  ) throws -> BucketImageStore? {
    let remembered = try BucketSettings.remembered(in: store)
    guard var settings = try given(remembered: remembered) else { return nil }
    if let remembered, remembered.location != settings.location || remembered.endpoint.host != settings.endpoint.host {
      throw ValidationError(
        "this archive keeps its images in \(remembered.location) at \(remembered.endpoint); moving them to another "
          + "bucket is not built yet: keep --images as it is")
    }
    if remembered == nil, !(try store.imageRecords().isEmpty) {
      throw ValidationError(
        "this archive keeps its images in its own folder; moving them into \(settings.location) is not built yet: "
          + "start a new archive (--archive) for the bucket")
    }
    if let cacheSize { settings.cacheBytes = try Self.bytes(cacheSize) }
    let credentials = try credentials(environment: environment)
    if settings != remembered { try settings.remember(in: store) }
    let client = S3Client(
      endpoint: settings.endpoint, bucket: settings.location.bucket, credentials: credentials, transport: transport)
    return BucketImageStore(client: client, location: settings.location, cacheBytes: settings.cacheBytes)
  }

  /// The settings the options give, on top of what is remembered; nil when neither names a bucket.
  private func given(remembered: BucketSettings?) throws -> BucketSettings? {
    guard let images else {
      if remembered == nil, s3Endpoint != nil || s3Region != nil || s3PathStyle || cacheSize != nil {
        throw ValidationError("--s3-… and --cache-size go with --images s3://BUCKET/PREFIX")
      }
      guard var settings = remembered else { return nil }
      if s3Region != nil || s3PathStyle {
        settings.endpoint = try S3Endpoint(
          url: settings.endpoint.description, region: s3Region ?? settings.endpoint.region,
          pathStyle: s3PathStyle || settings.endpoint.pathStyle)
      }
      return settings
    }
    let region = s3Region ?? remembered?.endpoint.region ?? "us-east-1"
    let endpoint = try S3Endpoint(
      url: s3Endpoint ?? remembered?.endpoint.description ?? "https://s3.\(region).amazonaws.com", region: region,
      pathStyle: s3PathStyle)
    return BucketSettings(
      location: try S3Location(images), endpoint: endpoint,
      cacheBytes: remembered?.cacheBytes ?? BucketSettings.defaultCacheBytes)
  }

  /// The access key: from `--s3-credentials-file` (warning when others may read it), else the environment.
  private func credentials(environment: [String: String]) throws -> S3Credentials {
    guard let file = s3CredentialsFile else {
      guard let credentials = S3Credentials.fromEnvironment(environment) else {
        throw S3Error.invalidCredentials(
          "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --s3-credentials-file FILE")
      }
      return credentials
    }
    guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
      throw S3Error.invalidCredentials("cannot read \(file.singleLine(limit: 200))")
    }
    if let warning = KeyFile.exposureWarning(at: file, what: "S3 credentials file") {
      Console.err("mjarchive: \(warning)")
    }
    return try S3Credentials.parse(text)
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
