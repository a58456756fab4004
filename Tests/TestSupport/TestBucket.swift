import Foundation
import GatewayHTTP
import MidjourneyAPI
import ObjectStorage

/// A new, empty bucket on the tests' SeaweedFS server, and clients for it sharing one transport.
public struct TestBucket: Sendable {
  public let server: SeaweedFSServer
  public let endpoint: S3Endpoint
  public let name: String
  /// The real network, shut down when the test ends.
  public let transport: AsyncHTTPClientTransport

  /// Runs `body` with a client for a bucket made for it alone (or, `public`, for the server's bucket anyone may read,
  /// shared: use a prefix of your own in it).
  public static func with<T>(public: Bool = false, _ body: (S3Client, TestBucket) async throws -> T) async throws -> T {
    let server = try await SeaweedFSServer.shared()
    let bucket = TestBucket(
      server: server, endpoint: try S3Endpoint(url: server.endpoint, pathStyle: true),
      name: `public` ? SeaweedFSServer.publicBucket : "mjt-" + UUID().uuidString.lowercased().prefix(13),
      transport: AsyncHTTPClientTransport())
    do {
      // Patient while a just-started server finds room for the bucket's first volumes.
      let patient = bucket.client(
        retry: RetryPolicy(maximumAttempts: 60, baseDelay: .milliseconds(250), maximumDelay: .seconds(1)))
      try await patient.createBucket()
      let probe = "probe-\(UUID().uuidString)"
      try await patient.put(probe, body: Data("ready".utf8), contentType: "text/plain")
      try await patient.delete(probe)
      let result = try await body(bucket.client(), bucket)
      await bucket.transport.shutdown()
      return result
    } catch {
      await bucket.transport.shutdown()
      throw error
    }
  }

  /// The server's own credentials.
  public var credentials: S3Credentials {
    S3Credentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey)
  }

  /// A client for this bucket, by default with the server's credentials over the real network.
  public func client(
    credentials: S3Credentials? = nil, bucket: String? = nil, transport: (any HTTPTransport)? = nil,
    retry: RetryPolicy = .standard, now: @escaping @Sendable () -> Date = Date.init
  ) -> S3Client {
    S3Client(
      endpoint: endpoint, bucket: bucket ?? name, credentials: credentials ?? self.credentials,
      transport: transport ?? self.transport, retry: retry, now: now)
  }
}
