import Basics
import Crypto
import Foundation
import GatewayHTTP
import MidjourneyAPI
import ObjectStorage
import TestSupport
import Testing

/// The client against a real SeaweedFS server that checks every signature.
struct S3ClientTests {
  @Test func storesReadsListsAndDeletesObjects() async throws {
    try await TestBucket.with { client, _ in
      let grid = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
      let stored = try await client.put(
        "archive/originals/ab/grid.png", body: grid, sha256: SHA256.hash(data: grid).lowercaseHex,
        contentType: "image/png", cacheControl: "public, max-age=31536000, immutable")
      #expect(stored.etag == Insecure.MD5.hash(data: grid).lowercaseHex)
      try await client.put("archive/thumbnails/t 1+ሴ.png", body: Data("small".utf8), contentType: "image/png")
      try await client.put("elsewhere/x", body: Data(), contentType: "application/octet-stream")

      let head = try #require(try await client.head("archive/originals/ab/grid.png"))
      #expect(head.size == grid.count && head.etag == stored.etag)
      // The same size is not the same bytes: the ETag tells them apart.
      var other = grid
      other[7] ^= 1
      #expect(head.holds(grid) && !head.holds(other))
      #expect(!S3ObjectInfo(key: head.key, size: grid.count, etag: "\(head.etag)-2").holds(grid))
      #expect(try await client.get("archive/originals/ab/grid.png") == grid)
      #expect(try await client.get("archive/thumbnails/t 1+ሴ.png") == Data("small".utf8))

      let page = try await client.list(prefix: "archive/", maximumKeys: 1)
      #expect(page.objects.map(\.key) == ["archive/originals/ab/grid.png"])
      #expect(page.continuationToken != nil)
      let all = try await client.listAll(prefix: "archive/")
      #expect(all.map(\.key) == ["archive/originals/ab/grid.png", "archive/thumbnails/t 1+ሴ.png"])
      #expect(all.map(\.size) == [grid.count, 5])

      try await client.delete("archive/originals/ab/grid.png")
      try await client.delete("archive/originals/ab/grid.png")
      #expect(try await client.head("archive/originals/ab/grid.png") == nil)
      #expect(try await client.get("archive/originals/ab/grid.png") == nil)
    }
  }

  /// A ListBucketResult answered in place of the server's.
  private static func listing(_ keys: [String], nextToken: String?) -> FaultyTransport.Fault {
    let contents = keys.map { "<Contents><Key>\($0)</Key><Size>1</Size><ETag>\"x\"</ETag></Contents>" }.joined()
    let more = nextToken.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" }
    let xml =
      "<?xml version=\"1.0\"?><ListBucketResult>\(contents)\(more ?? "<IsTruncated>false</IsTruncated>")"
      + "</ListBucketResult>"
    return .answer(
      TransportResponse(
        status: 200, headers: [(name: "Content-Type", value: "application/xml")], body: Data(xml.utf8)))
  }

  @Test func aListingKeepsOnlyKeysItAskedForAndEndsOnARepeatedToken() async throws {
    try await TestBucket.with { _, bucket in
      let foreign = FaultyTransport(
        bucket.transport, fault: Self.listing(["archive/a.png", "elsewhere/b.png", "archiv"], nextToken: nil), faults: 1
      )
      let page = try await bucket.client(transport: foreign).list(prefix: "archive/")
      #expect(page.objects.map(\.key) == ["archive/a.png"])

      let looping = FaultyTransport(bucket.transport, fault: Self.listing([], nextToken: "again"), faults: 2)
      await #expect(throws: S3Error.self) { try await bucket.client(transport: looping).listAll(prefix: "archive/") }
    }
  }

  @Test func aListingCursorHandsOutEachKeyOnceUpToWhereItIsAsked() async throws {
    try await TestBucket.with { client, _ in
      let keys = (0..<9).flatMap { ["p/b/\($0)", "p/a/\($0)"] } + ["p/c/elsewhere"]
      for key in keys { try await client.put(key, body: Data(key.utf8), contentType: "text/plain") }
      // Pages of two, over two prefixes given out of order: keys come in byte order, each once.
      var cursor = S3ListingCursor(client: client, prefixes: ["p/b/", "p/a/"], pageSize: 2)
      var seen: [String] = []
      for last in ["p/a/3", "p/a/30", "p/b/0", "p/b/0", "p/b/8", "p/z"] {
        let found = try await cursor.objects(through: last)
        #expect(found.keys.allSatisfy { !last.utf8.lexicographicallyPrecedes($0.utf8) && !seen.contains($0) })
        #expect(found.values.allSatisfy { $0.size == $0.key.utf8.count })
        seen += found.keys.sorted()
      }
      #expect(seen == keys.filter { !$0.hasPrefix("p/c/") }.sorted())
      #expect(try await cursor.objects(through: "p/zz").isEmpty)
    }
  }

  @Test func aBodyChangedOnTheWayIsRefusedAndNotStored() async throws {
    try await TestBucket.with { client, bucket in
      let corrupting = bucket.client(
        transport: FaultyTransport(bucket.transport, fault: .corruptedBody, faults: 10))
      await #expect(throws: S3Error.self) {
        try await corrupting.put("k.png", body: Data("these bytes".utf8), contentType: "image/png")
      }
      let stored = try await client.head("k.png")
      #expect(stored == nil)
    }
  }

  @Test func aWrongSecretIsNamedAsASignatureMismatch() async throws {
    try await TestBucket.with { _, bucket in
      let client = bucket.client(
        credentials: S3Credentials(accessKeyID: bucket.server.accessKeyID, secretAccessKey: "not-the-secret"))
      await #expect(throws: S3Error.signatureMismatch(place: client.place)) {
        try await client.put("k", body: Data("x".utf8), contentType: "text/plain")
      }
      let error = await #expect(throws: S3Error.self) { try await client.list(prefix: "") }
      #expect(error?.exitCode == 3)
      #expect(error.map { "\($0)".contains("not-the-secret") } == false)
    }
  }

  @Test func anUnknownAccessKeyIsRefused() async throws {
    try await TestBucket.with { _, bucket in
      let client = bucket.client(
        credentials: S3Credentials(accessKeyID: "AKIANOBODY0000000000", secretAccessKey: "whatever"))
      let error = await #expect(throws: S3Error.self) { try await client.head("k") }
      guard case .accessDenied(let place, _) = error else {
        Issue.record("expected accessDenied, got \(String(describing: error))")
        return
      }
      #expect(place.contains(client.bucket) && place.contains("http://127.0.0.1:"))
    }
  }

  @Test func aClockAnHourOffIsNamedAsClockSkew() async throws {
    try await TestBucket.with { client, bucket in
      let skewed = bucket.client(now: { Date().addingTimeInterval(3600) })
      await #expect(throws: S3Error.clockSkew(place: client.place)) {
        try await skewed.put("k", body: Data("x".utf8), contentType: "text/plain")
      }
    }
  }

  @Test func aMissingBucketIsNamed() async throws {
    try await TestBucket.with { client, bucket in
      let missing = bucket.client(bucket: "mjt-no-such-bucket")
      await #expect(throws: S3Error.noSuchBucket(place: missing.place)) { try await missing.list(prefix: "") }
    }
  }

  @Test func slowDownAndCutConnectionsAreRetriedWithBackoff() async throws {
    try await TestBucket.with { client, bucket in
      let waits = Locked<[Duration]>([])
      let retry = RetryPolicy(maximumAttempts: 4, sleep: { delay in waits.withLock { $0.append(delay) } })
      for fault in [FaultyTransport.slowDown, .error(.connectionClosed), .error(.timedOut)] {
        let faulty = FaultyTransport(bucket.transport, fault: fault, faults: 3)
        let patient = bucket.client(transport: faulty, retry: retry)
        try await patient.put("retried", body: Data("once".utf8), contentType: "text/plain")
        #expect(faulty.passed.withLock { $0 } == ["PUT"])
      }
      #expect(waits.withLock { $0.count } == 9)
      #expect(try await client.get("retried") == Data("once".utf8))

      let hopeless = bucket.client(
        transport: FaultyTransport(bucket.transport, fault: FaultyTransport.slowDown, faults: 10), retry: retry)
      await #expect(throws: S3Error.unavailable(place: client.place, cause: "HTTP 503 SlowDown", attempts: 4)) {
        try await hopeless.head("retried")
      }
    }
  }
}
