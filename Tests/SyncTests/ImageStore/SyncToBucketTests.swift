import ArchiveStore
import Foundation
import MidjourneyAPI
import ObjectStorage
import Simulator
import TestSupport
import Testing

@testable import Sync

/// Sync with the images kept in a bucket of a real SeaweedFS server, the local folder a bounded cache.
@Suite struct SyncToBucketTests {
  /// Every images row, as path and size.
  static func recorded(_ fixture: SyncFixture) throws -> [(path: String, bytes: Int)] {
    try fixture.store.imageRecords().map { ($0.file.path, $0.file.bytes) }
  }

  @Test func everyRowNamesAnObjectTheServerConfirmedAndTheCacheIsTrimmed() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(2)
      try await TestBucket.with { client, bucket in
        let counting = FaultyTransport(bucket.transport, fault: .corruptedBody, faults: 0)
        let store = BucketImageStore(
          client: bucket.client(transport: counting), location: try S3Location(bucket: bucket.name, prefix: "mj"),
          cacheBytes: 0)
        var options = SyncFixture.fast
        options.bucket = store
        let report = try await fixture.sync(options)
        #expect(report.failures.isEmpty, "\(report.failures)")

        let rows = try Self.recorded(fixture)
        #expect(rows.filter { $0.path.hasPrefix("images/quadrants/") }.count == 8)
        for row in rows {
          let object = try #require(try await client.head(store.key(for: row.path)), "\(row.path)")
          #expect(object.size == row.bytes)
          // A cache of 0 bytes keeps no confirmed file.
          #expect(
            !FileManager.default.fileExists(atPath: fixture.store.directory.appendingPathComponent(row.path).path))
        }
        let objects = try await client.listAll(prefix: "mj/")
        #expect(Set(objects.map(\.key)) == Set(rows.map { store.key(for: $0.path) }))
        #expect(
          objects.allSatisfy {
            $0.key.hasPrefix("mj/originals/") || $0.key.hasPrefix("mj/quadrants/") || $0.key.hasPrefix("mj/thumbs/")
          })

        // Nothing new: nothing uploaded again.
        let puts = counting.passed.withLock { $0.filter { $0 == "PUT" }.count }
        #expect(puts == Set(rows.map(\.path)).count)
        _ = try await fixture.sync(options)
        #expect(counting.passed.withLock { $0.filter { $0 == "PUT" }.count } == puts)
      }
    }
  }

  @Test func aRefusedUploadStopsTheRunAndRecordsNoRow() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      try await TestBucket.with { client, bucket in
        let location = try S3Location(bucket: bucket.name, prefix: "")
        var options = SyncFixture.fast
        options.bucket = BucketImageStore(
          client: bucket.client(
            credentials: S3Credentials(accessKeyID: bucket.server.accessKeyID, secretAccessKey: "wrong")),
          location: location)
        await #expect(throws: SyncError.bucket(.signatureMismatch(place: client.place))) {
          try await fixture.sync(options)
        }
        #expect(try Self.recorded(fixture).isEmpty)

        options.bucket = BucketImageStore(client: client, location: location)
        let report = try await fixture.sync(options)
        #expect(report.failures.isEmpty, "\(report.failures)")
        let rows = try Self.recorded(fixture)
        #expect(!rows.isEmpty)
        for row in rows {
          #expect(try await client.head(row.path.replacingOccurrences(of: "images/", with: ""))?.size == row.bytes)
        }
      }
    }
  }

  @Test func anOriginalTheCacheLetGoIsBroughtBackToBeSplit() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      try await TestBucket.with { client, bucket in
        let store = BucketImageStore(
          client: client, location: try S3Location(bucket: bucket.name, prefix: "a/b"), cacheBytes: 0)
        var options = SyncFixture.fast
        options.bucket = store
        options.split = false
        _ = try await fixture.sync(options)
        #expect(try Self.recorded(fixture).allSatisfy { !$0.path.hasPrefix("images/quadrants/") })

        options.split = true
        let report = try await fixture.sync(options)
        #expect(report.failures.isEmpty, "\(report.failures)")
        let rows = try Self.recorded(fixture)
        // A loop, not `filter`: here Swift 6.3.1 ran the negated closure of the `#expect(… allSatisfy { ! … })` above
        // for `rows.filter { … }` (the complement came back), apparently two closures given one name.
        var quadrants: [(path: String, bytes: Int)] = []
        for row in rows where row.path.hasPrefix("images/quadrants/") { quadrants.append(row) }
        #expect(quadrants.count == 4, "\(rows.map(\.path))")
        for quadrant in quadrants {
          #expect(try await client.head(store.key(for: quadrant.path))?.size == quadrant.bytes)
        }
      }
    }
  }
}
