import ArgumentParser
import ObjectStorage
import Sync

/// The S3-compatible server a bucket lives on, and the key to it.
struct S3ServerOptions: ParsableArguments {
  @Option(help: "The S3-compatible server (default: AWS S3 in --s3-region), e.g. http://127.0.0.1:9000.")
  var s3Endpoint: String?

  @Option(help: "The region requests are signed for (default us-east-1; auto for Cloudflare R2).")
  var s3Region: String?

  @Flag(help: "Address the bucket by path (https://host/BUCKET), as MinIO, SeaweedFS and servers on an IP need.")
  var s3PathStyle = false

  @OptionGroup var credentials: S3CredentialsOptions

  /// Whether any server option was given.
  var isGiven: Bool { s3Endpoint != nil || s3Region != nil || s3PathStyle }

  /// The settings for `location` (`s3://BUCKET/PREFIX`): these options over what the archive remembers, over the
  /// defaults (AWS S3 in us-east-1).
  func settings(for location: String, remembered: BucketSettings?) throws -> BucketSettings {
    let region = s3Region ?? remembered?.endpoint.region ?? "us-east-1"
    let endpoint = try S3Endpoint(
      url: s3Endpoint ?? remembered?.endpoint.description ?? "https://s3.\(region).amazonaws.com", region: region,
      pathStyle: s3PathStyle || (s3Endpoint == nil && remembered?.endpoint.pathStyle == true))
    return BucketSettings(
      location: try S3Location(location), endpoint: endpoint,
      cacheBytes: remembered?.cacheBytes ?? BucketSettings.defaultCacheBytes)
  }

  /// The remembered settings with the region or path style these options change.
  func overriding(_ remembered: BucketSettings) throws -> BucketSettings {
    guard s3Region != nil || s3PathStyle else { return remembered }
    var settings = remembered
    settings.endpoint = try S3Endpoint(
      url: remembered.endpoint.description, region: s3Region ?? remembered.endpoint.region,
      pathStyle: s3PathStyle || remembered.endpoint.pathStyle)
    return settings
  }
}
