import Foundation
import GatewayHTTP
import ObjectStorage
import TestSupport
import Testing

/// The signer against moto's S3 server with IAM authentication on, which recomputes every signature with botocore:
/// a server that accepted any signature would prove nothing.
struct S3ClientMotoTests {
  /// Runs `body` with a client for a new bucket on the tests' moto server.
  func withBucket(
    credentials: (MotoServer) -> S3Credentials = {
      S3Credentials(accessKeyID: $0.accessKeyID, secretAccessKey: $0.secretAccessKey)
    },
    _ body: (S3Client, MotoServer) async throws -> Void
  ) async throws {
    let server = try await MotoServer.shared()
    let transport = AsyncHTTPClientTransport()
    do {
      let client = S3Client(
        endpoint: try S3Endpoint(url: server.endpoint, pathStyle: true),
        bucket: "mjt-" + UUID().uuidString.lowercased().prefix(13), credentials: credentials(server),
        transport: transport)
      try await body(client, server)
    } catch {
      await transport.shutdown()
      throw error
    }
    await transport.shutdown()
  }

  @Test func everyOperationIsSignedAsAWSChecksIt() async throws {
    try await withBucket { client, _ in
      try await client.createBucket()
      // No `+`, `=`, `&` or non-ASCII in keys here: moto 5.2.1 recomputes those signatures wrongly (boto3's own
      // requests fail there too); SeaweedFS checks them (S3ClientTests).
      let keys = ["mj/originals/ab/x.png", "mj/thumbs/a b~c.png", "mj/quadrants/1-1.png"]
      for (index, key) in keys.enumerated() {
        try await client.put(
          key, body: Data(repeating: UInt8(index), count: 1_000 * (index + 1)), contentType: "image/png",
          cacheControl: "public, max-age=86400")
      }
      for (index, key) in keys.enumerated() {
        #expect(try await client.head(key)?.size == 1_000 * (index + 1))
        #expect(try await client.get(key) == Data(repeating: UInt8(index), count: 1_000 * (index + 1)))
      }
      // Prefixes without a `/`: moto 5.2.1 recomputes a listing's signature wrongly when the prefix has one (boto3's
      // own listing fails there too); SeaweedFS checks those (S3ClientTests).
      let listed = try await client.listAll(prefix: "mj")
      #expect(Set(listed.map(\.key)) == Set(keys))
      let page = try await client.list(prefix: "mj", maximumKeys: 2)
      #expect(page.objects.count == 2)
      let rest = try await client.list(prefix: "mj", continuationToken: page.continuationToken)
      #expect(rest.objects.count == 1)
      for key in keys { try await client.delete(key) }
      #expect(try await client.listAll(prefix: "").isEmpty)
    }
  }

  @Test func aWrongSecretIsRefusedByTheServer() async throws {
    try await withBucket(credentials: { S3Credentials(accessKeyID: $0.accessKeyID, secretAccessKey: "wrong") }) {
      client, _ in
      await #expect(throws: S3Error.signatureMismatch(place: client.place)) { try await client.createBucket() }
    }
  }
}
