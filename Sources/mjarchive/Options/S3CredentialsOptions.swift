import ArchiveStore
import ArgumentParser
import Foundation
import MidjourneyAPI
import ObjectStorage
import Sync

/// `--s3-credentials-file`, or the AWS variables: the key to the bucket an archive keeps its images in.
struct S3CredentialsOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read the access key from this file (the AWS CLI's credentials, or AWS_ACCESS_KEY_ID=… lines) instead of "
        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."))
  var s3CredentialsFile: String?

  /// The access key: from `--s3-credentials-file` (warning when others may read it), else the environment.
  func credentials(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3Credentials {
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

  /// The image store of these settings, reached with these credentials.
  func store(_ settings: BucketSettings, transport: any HTTPTransport) throws -> BucketImageStore {
    let client = S3Client(
      endpoint: settings.endpoint, bucket: settings.location.bucket, credentials: try credentials(),
      transport: transport)
    return BucketImageStore(client: client, location: settings.location, cacheBytes: settings.cacheBytes)
  }

  /// The bucket the archive remembers keeping its images in, or nil when they live in its folder.
  func rememberedStore(for store: ArchiveStore, transport: any HTTPTransport) throws -> BucketImageStore? {
    try BucketSettings.remembered(in: store).map { try self.store($0, transport: transport) }
  }
}
