import ArchiveStore
import Foundation
import ObjectStorage
import TestSupport
import Testing

@testable import Sync

/// `verify` and `verify --repair` of an archive whose images live in a bucket of a real SeaweedFS server.
@Suite struct BucketVerifierTests {
  /// A synced archive of two grids and an upscale in a bucket under `mj/`, the cache holding `cacheBytes`.
  private func withBucketArchive(
    cacheBytes: Int64, _ body: (SyncFixture, BucketImageStore, [String]) async throws -> Void
  ) async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(2)
      try await TestBucket.with { client, bucket in
        let store = BucketImageStore(
          client: client, location: try S3Location(bucket: bucket.name, prefix: "mj"), cacheBytes: cacheBytes)
        #expect(try await fixture.sync(Self.options(store)).failures.isEmpty)
        try await body(fixture, store, ids)
      }
    }
  }

  private static func options(_ bucket: BucketImageStore) -> SyncOptions {
    var options = SyncFixture.fast
    options.bucket = bucket
    return options
  }

  private func repair(_ fixture: SyncFixture, _ bucket: BucketImageStore, _ report: VerifyReport) async throws
    -> RepairReport
  {
    try await SyncEngine(
      client: fixture.client, transport: fixture.transport, store: fixture.store, options: Self.options(bucket)
    ).repair(report)
  }

  private func path(_ fixture: SyncFixture, _ taskId: String, _ kind: StoredFile.Kind, part: Int = 0) throws
    -> StoredFile
  {
    try #require(
      try fixture.store.imageRecords().first { $0.taskId == taskId && $0.file.kind == kind && $0.file.part == part }?
        .file)
  }

  /// "kind path" of each problem, the path as the row names it or the stray object's address.
  private func summary(_ report: VerifyReport) -> Set<String> {
    Set(report.problems.map { "\($0.kind.rawValue) \($0.path)" })
  }

  @Test func missingDamagedAndStrayObjectsAreFoundAndMendedFromTheCache() async throws {
    try await withBucketArchive(cacheBytes: 1 << 30) { fixture, bucket, ids in
      let verifier = ArchiveVerifier(store: fixture.store)
      let clean = try await verifier.verify(in: bucket, deep: true)
      #expect(clean.isClean, "\(clean.problems)")
      #expect(clean.filesChecked == Set(try fixture.store.imagePaths()).count)
      #expect(clean.bucket == "s3://\(bucket.location.bucket)/mj" && clean.deep)

      let original = try path(fixture, ids[0], .original)
      let quadrant = try path(fixture, ids[1], .quadrant, part: 2)
      // The same size, other bytes: only a deep check can tell.
      var forged = try #require(try await bucket.client.get(bucket.key(for: original.path)))
      forged[forged.count / 2] ^= 0xFF
      try await bucket.client.put(bucket.key(for: original.path), body: forged, contentType: "image/png")
      try await bucket.client.delete(bucket.key(for: quadrant.path))
      try await bucket.client.put("mj/thumbs/left-by-a-killed-run.png", body: Data("x".utf8), contentType: "image/png")
      try await bucket.client.put(
        "mj/gallery/index.html", body: Data("not an image key".utf8), contentType: "text/html")

      let shallow = try await verifier.verify(in: bucket)
      let stray = "stray s3://\(bucket.location.bucket)/mj/thumbs/left-by-a-killed-run.png"
      #expect(summary(shallow) == ["missing \(quadrant.path)", stray])
      let deep = try await verifier.verify(in: bucket, deep: true)
      #expect(summary(deep) == ["missing \(quadrant.path)", "damaged \(original.path)", stray])
      #expect(deep.problems.first { $0.kind == .damaged }?.taskIds == [ids[0]])

      let repaired = try await repair(fixture, bucket, deep)
      #expect(repaired.reuploaded == 2 && repaired.straysRemoved == 1, "\(repaired)")
      #expect(repaired.imagesDownloaded == 0 && repaired.failures.isEmpty)
      let after = try await verifier.verify(in: bucket, deep: true)
      #expect(after.isClean, "\(after.problems)")
      // What the archive did not make is left alone.
      #expect(try await bucket.client.head("mj/gallery/index.html") != nil)
    }
  }

  @Test func withoutACachedCopyAnOriginalComesBackThroughTheGatewayAndQuadrantsAreMadeAgain() async throws {
    try await withBucketArchive(cacheBytes: 0) { fixture, bucket, ids in
      let root = fixture.store.directory
      let original = try path(fixture, ids[1], .original)
      let quadrant = try path(fixture, ids[0], .quadrant, part: 4)
      #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(original.path).path))
      try await bucket.client.delete(bucket.key(for: original.path))
      try await bucket.client.delete(bucket.key(for: quadrant.path))
      // A copy brought back into the cache that is not the recorded file.
      let thumbnail = try path(fixture, ids[2], .thumbnail)
      let cachedThumbnail = root.appendingPathComponent(thumbnail.path)
      try Data("garbage".utf8).write(to: cachedThumbnail)

      let verifier = ArchiveVerifier(store: fixture.store)
      let found = try await verifier.verify(in: bucket)
      #expect(
        summary(found) == [
          "missing \(original.path)", "missing \(quadrant.path)", "damaged cache \(thumbnail.path)",
        ])
      let repaired = try await repair(fixture, bucket, found)
      #expect(repaired.failures.isEmpty, "\(repaired.failures)")
      #expect(repaired.imagesDownloaded == 1 && repaired.straysRemoved == 1 && repaired.reuploaded == 0)
      let after = try await verifier.verify(in: bucket, deep: true)
      #expect(after.isClean, "\(after.problems)")
      let served = try await fixture.servedImage(ids[1])
      #expect(try await bucket.client.get(bucket.key(for: original.path)) == served)
      // The cache was trimmed again after the repair.
      #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(original.path).path))
    }
  }
}
