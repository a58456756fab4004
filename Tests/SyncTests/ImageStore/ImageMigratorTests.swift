import ArchiveStore
import Foundation
import GRDB
import MidjourneyAPI
import ObjectStorage
import TestSupport
import Testing

@testable import Sync

/// `migrate-images` between the archive's folder and a bucket of a real SeaweedFS server.
@Suite struct ImageMigratorTests {
  /// Every image file in the archive's folder, by path.
  private func localFiles(_ fixture: SyncFixture) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for path in try fixture.store.imagePaths() {
      let url = fixture.store.directory.appendingPathComponent(path)
      if FileManager.default.fileExists(atPath: url.path) { files[path] = try Data(contentsOf: url) }
    }
    return files
  }

  private func settings(_ bucket: TestBucket, cacheBytes: Int64 = 0) throws -> BucketSettings {
    BucketSettings(
      location: try S3Location(bucket: bucket.name, prefix: "moved"), endpoint: bucket.endpoint, cacheBytes: cacheBytes)
  }

  private func store(_ client: S3Client, _ settings: BucketSettings) -> BucketImageStore {
    BucketImageStore(client: client, location: settings.location, cacheBytes: settings.cacheBytes)
  }

  @Test func toTheBucketAndBackGivesByteIdenticalFiles() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(2)
      #expect(try await fixture.sync().failures.isEmpty)
      let before = try localFiles(fixture)
      #expect(before.count == 20)
      try await TestBucket.with { client, bucket in
        let settings = try settings(bucket)
        let images = store(client, settings)
        let migrator = ImageMigrator(store: fixture.store)
        let up = try await migrator.moveToBucket(images, settings: settings)
        #expect(up.switched && up.failures.isEmpty)
        #expect(up.copied == 20 && up.alreadyThere == 0 && up.removedLocally == 20)
        #expect(up.bytesCopied == Int64(before.values.reduce(0) { $0 + $1.count }))
        #expect(try BucketSettings.remembered(in: fixture.store) == settings)
        #expect(try localFiles(fixture).isEmpty)
        for (path, bytes) in before { #expect(try await client.get(images.key(for: path)) == bytes, "\(path)") }
        #expect(try await ArchiveVerifier(store: fixture.store).verify(in: images, deep: true).isClean)
        // Run again: nothing to do.
        #expect(try await migrator.moveToBucket(images, settings: settings).alreadyThere == 20)

        let down = try await migrator.moveToFolder(from: images)
        #expect(down.switched && down.copied == 20 && down.failures.isEmpty)
        #expect(try BucketSettings.remembered(in: fixture.store) == nil)
        #expect(try localFiles(fixture) == before)
        #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
        // The objects stay.
        #expect(try await client.listAll(prefix: "moved/").count == 20)
      }
    }
  }

  @Test func anInterruptedMoveLeavesTheArchiveWhereItWasAndTheNextCopiesTheRest() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(2)
      #expect(try await fixture.sync().failures.isEmpty)
      let before = try localFiles(fixture)
      try await TestBucket.with { client, bucket in
        let settings = try settings(bucket, cacheBytes: 1 << 30)
        // After the listing (one request per folder), five uploads fail with a 500 the client does not retry.
        let failing = FaultyTransport(
          bucket.transport,
          fault: .answer(TransportResponse(status: 500, headers: [], body: Data("<html>down</html>".utf8))),
          faults: 5, after: 3)
        var migrator = ImageMigrator(store: fixture.store)
        migrator.concurrency = 1
        let cut = try await migrator.moveToBucket(
          store(
            bucket.client(
              transport: failing, retry: RetryPolicy(maximumAttempts: 1, baseDelay: .zero, maximumDelay: .zero)),
            settings),
          settings: settings)
        #expect(!cut.switched && cut.failures.count == 5 && cut.copied == 15, "\(cut)")
        #expect(try BucketSettings.remembered(in: fixture.store) == nil)
        #expect(try localFiles(fixture) == before)

        let rest = try await migrator.moveToBucket(store(client, settings), settings: settings)
        #expect(rest.switched && rest.copied == 5 && rest.alreadyThere == 15, "\(rest)")
        // A cache of 1 GiB keeps every local copy.
        #expect(try rest.removedLocally == 0 && localFiles(fixture) == before)
      }
    }
  }

  @Test func aDamagedLocalFileIsNeverUploadedAndStopsTheSwitch() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let thumbnail = try #require(try fixture.store.imagePaths().first { $0.hasPrefix("images/thumbs/") })
      try Data("not the thumbnail".utf8).write(to: fixture.store.directory.appendingPathComponent(thumbnail))
      try await TestBucket.with { client, bucket in
        let settings = try settings(bucket)
        let images = store(client, settings)
        let report = try await ImageMigrator(store: fixture.store).moveToBucket(images, settings: settings)
        #expect(!report.switched)
        #expect(report.failures.map(\.reason) == ["\(thumbnail) is damaged: run verify --repair first"])
        #expect(try await client.head(images.key(for: thumbnail)) == nil)
        #expect(try BucketSettings.remembered(in: fixture.store) == nil)

        // Another bucket while the images are in this one: refused.
        try settings.remember(in: fixture.store)
        let elsewhere = BucketSettings(
          location: try S3Location(bucket: bucket.name, prefix: "other"), endpoint: bucket.endpoint)
        await #expect(throws: SyncError.self) {
          try await ImageMigrator(store: fixture.store).moveToBucket(store(client, elsewhere), settings: elsewhere)
        }
      }
    }
  }

  /// Sets the modification time of an archive file, `age` seconds ago.
  private func age(_ path: String, in fixture: SyncFixture, seconds age: Int) throws {
    let url = fixture.store.directory.appendingPathComponent(path)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -Double(age))], ofItemAtPath: url.path)
  }

  @Test func theCacheKeepsTheNewestFilesThatFitAndNeverOneNoRowNames() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(2)
      #expect(try await fixture.sync().failures.isEmpty)
      let files = try localFiles(fixture)
      #expect(files.count == 20)
      // Oldest first in path order, then a file no row names, older than all.
      let paths = files.keys.sorted()
      for (offset, path) in paths.enumerated() { try age(path, in: fixture, seconds: 10_000 - offset * 100) }
      let unrecorded = "images/originals/zz/upload-in-flight.tmp"
      try FileManager.default.createDirectory(
        at: fixture.store.directory.appendingPathComponent("images/originals/zz"), withIntermediateDirectories: true)
      try Data(count: 4096).write(to: fixture.store.directory.appendingPathComponent(unrecorded))
      try age(unrecorded, in: fixture, seconds: 99_999)

      let newest = paths.suffix(5)
      let budget = Int64(newest.reduce(0) { $0 + files[$1]!.count })
      // Trimming asks nothing of the bucket: a server nobody listens on will do.
      let client = S3Client(
        endpoint: try S3Endpoint(url: "http://127.0.0.1:9", pathStyle: true), bucket: "unused",
        credentials: S3Credentials(accessKeyID: "AKIAUNUSED", secretAccessKey: "unused"), transport: fixture.transport)
      let images = BucketImageStore(
        client: client, location: try S3Location(bucket: "unused", prefix: "trim"), cacheBytes: budget)
      let archive = try ArchiveFiles(root: fixture.store.directory)
      let removed = try await images.trimCache(of: archive.owned, store: fixture.store)
      #expect(removed.files == 15)
      #expect(Set(try localFiles(fixture).keys) == Set(newest))
      #expect(FileManager.default.fileExists(atPath: fixture.store.directory.appendingPathComponent(unrecorded).path))
    }
  }

  @Test func aRowNamingTheDatabaseNeverGetsItTrimmed() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let database = fixture.store.databaseURL
      let queue = try DatabaseQueue(path: database.path)
      try await queue.write { db in
        try db.execute(sql: "UPDATE images SET path = 'archive.sqlite' WHERE kind = 'original'")
      }
      try queue.close()
      let client = S3Client(
        endpoint: try S3Endpoint(url: "http://127.0.0.1:9", pathStyle: true), bucket: "unused",
        credentials: S3Credentials(accessKeyID: "AKIAUNUSED", secretAccessKey: "unused"), transport: fixture.transport)
      let images = BucketImageStore(
        client: client, location: try S3Location(bucket: "unused", prefix: "trim"), cacheBytes: 0)
      let archive = try ArchiveFiles(root: fixture.store.directory)
      _ = try await images.trimCache(of: archive.owned, store: fixture.store)
      #expect(FileManager.default.fileExists(atPath: database.path))
    }
  }
}
