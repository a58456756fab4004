import ArchiveStore
import Crypto
import Foundation
import GRDB
import MidjourneyAPI
import ObjectStorage
import Simulator
import TestSupport
import Testing

/// `sync --images s3://…` run as a user would, against the simulator and a real SeaweedFS server.
struct SyncToBucketCommandTests {
  /// Runs `body` with a new bucket, the simulated gateway, and an environment holding the credentials of both.
  private static func withBucketAndGateway(
    _ body: (S3Client, TestBucket, [String: String]) async throws -> Void
  ) async throws {
    try await TestBucket.with { client, bucket in
      try await SimulatedGateway.run { environment, _ in
        var environment = environment
        environment["AWS_ACCESS_KEY_ID"] = bucket.server.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = bucket.server.secretAccessKey
        try await body(client, bucket, environment)
      }
    }
  }

  @Test func syncKeepsImagesInTheBucketRemembersItAndNeverStoresTheSecret() async throws {
    try await Self.withBucketAndGateway { client, bucket, environment in
      for prompt in ["a red fox", "a blue heron"] {
        #expect(try await CommandRunner.run(["imagine", prompt, "--wait"], environment: environment).status == 0)
      }
      let first = try await CommandRunner.run(
        [
          "sync", "--images", "s3://\(bucket.name)/my/archive", "--s3-endpoint", bucket.server.endpoint,
          "--s3-path-style", "--cache-size", "0",
        ], environment: environment)
      #expect(first.status == 0, "\(first.stderr)")

      // Remembered: the next run needs no --images, and says nothing of the secret anywhere.
      let second = try await CommandRunner.run(["sync", "--summary"], environment: environment)
      #expect(second.status == 0, "\(second.stderr)")
      let database = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"])).appendingPathComponent(
        "archive.sqlite")
      let queue = try DatabaseQueue(path: database.path)
      let (paths, settings) = try await queue.read { db in
        (
          try String.fetchAll(db, sql: "SELECT path FROM images"),
          try String.fetchAll(db, sql: "SELECT name || '=' || value FROM settings ORDER BY name")
        )
      }
      try queue.close()
      #expect(settings.contains("images.location=s3://\(bucket.name)/my/archive"))
      #expect(settings.contains("images.cache_bytes=0"))
      #expect(!settings.joined().contains(bucket.server.secretAccessKey))
      #expect(!(first.stderr + second.stderr + second.stdout).contains(bucket.server.secretAccessKey))
      #expect(paths.count >= 10)
      let objects = try await client.listAll(prefix: "my/archive/")
      #expect(Set(objects.map(\.key)) == Set(paths.map { "my/archive/" + $0.dropFirst("images/".count) }))

      // Another bucket would split the archive's images in two: refused, nothing changed.
      let elsewhere = try await CommandRunner.run(
        [
          "sync", "--images", "s3://\(bucket.name)/other", "--s3-endpoint", bucket.server.endpoint, "--s3-path-style",
        ],
        environment: environment)
      #expect(elsewhere.status == 2)
      #expect(elsewhere.stderr.contains("this archive keeps its images in s3://\(bucket.name)/my/archive"))

      // verify checks the objects; a lost one is found, then uploaded again or downloaded again.
      let verify = try await CommandRunner.run(["verify"], environment: environment)
      #expect(verify.status == 0, "\(verify.stderr)")
      #expect(
        verify.stdout.contains(
          "checked \(Set(paths).count) objects in s3://\(bucket.name)/my/archive (")
          && verify.stdout.contains("sizes only"))
      let lost = try #require(paths.first { $0.hasPrefix("images/originals/") })
      try await client.delete("my/archive/" + lost.dropFirst("images/".count))
      let found = try await CommandRunner.run(["verify", "--deep"], environment: environment)
      #expect(found.status == 1)
      #expect(found.stdout.contains("missing: \(lost)"), "\(found.stdout)")
      let repaired = try await CommandRunner.run(["verify", "--repair"], environment: environment)
      #expect(repaired.status == 0, "\(repaired.stderr)")
      #expect(repaired.stdout.contains("1 image downloaded"), "\(repaired.stdout)")
      #expect(try await CommandRunner.run(["verify", "--deep"], environment: environment).status == 0)
    }
  }

  @Test func missingCredentialsAndAWrongSecretAreOneLineEach() async throws {
    try await Self.withBucketAndGateway { _, bucket, environment in
      var environment = environment
      environment["AWS_ACCESS_KEY_ID"] = nil
      environment["AWS_SECRET_ACCESS_KEY"] = nil
      #expect(try await CommandRunner.run(["imagine", "a fox"], environment: environment).status == 0)
      let arguments = [
        "sync", "--images", "s3://\(bucket.name)", "--s3-endpoint", bucket.server.endpoint, "--s3-path-style",
      ]
      let missing = try await CommandRunner.run(arguments, environment: environment)
      #expect(missing.status == 2)
      #expect(
        missing.stderr
          == "mjarchive: S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --s3-credentials-file FILE\n"
      )

      environment["AWS_ACCESS_KEY_ID"] = bucket.server.accessKeyID
      environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
      let wrong = try await CommandRunner.run(arguments, environment: environment)
      #expect(wrong.status == 3)
      #expect(wrong.stderr.split(separator: "\n").count == 1)
      #expect(wrong.stderr.contains("rejected the request's signature: check the secret key and --s3-region"))
      #expect(!wrong.stderr.contains("not-the-secret"))
    }
  }

  /// Every file under the archive's `images/`, by path.
  private static func imageFiles(in archive: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let images = archive.appendingPathComponent("images")
    for case let url as URL in FileManager.default.enumerator(at: images, includingPropertiesForKeys: nil) ?? .init()
    where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
      files[String(url.path.dropFirst(images.path.count))] = try Data(contentsOf: url)
    }
    return files
  }

  @Test func migrateImagesMovesAnArchiveIntoTheBucketAndBackByteForByte() async throws {
    try await Self.withBucketAndGateway { client, bucket, environment in
      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      #expect(try await CommandRunner.run(["imagine", "a red fox", "--wait"], environment: environment).status == 0)
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      let before = try Self.imageFiles(in: archive)
      #expect(before.count == 9)  // the grid, its four quadrants and their thumbnails

      let location = "s3://\(bucket.name)/moved"
      let up = try await CommandRunner.run(
        [
          "migrate-images", "--to", location, "--s3-endpoint", bucket.server.endpoint, "--s3-path-style",
          "--cache-size", "0",
        ], environment: environment)
      #expect(up.status == 0, "\(up.stderr)")
      #expect(up.stdout.contains("\(before.count) of \(before.count) files ("), "\(up.stdout)")
      #expect(up.stdout.contains("the archive keeps its images in \(location) now"))
      #expect(try Self.imageFiles(in: archive).isEmpty)
      #expect(try await client.listAll(prefix: "moved/").count == before.count)
      // The archive works from the bucket: search, a sync with nothing new, a deep verify.
      let search = try await CommandRunner.run(["search", "fox"], environment: environment)
      #expect(search.status == 0 && search.stdout.contains("a red fox"))
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      let verify = try await CommandRunner.run(["verify", "--deep"], environment: environment)
      #expect(verify.status == 0, "\(verify.stdout)")

      let down = try await CommandRunner.run(["migrate-images", "--to-local"], environment: environment)
      #expect(down.status == 0, "\(down.stderr)")
      #expect(down.stdout.contains("the archive keeps its images in its folder now"))
      #expect(try Self.imageFiles(in: archive) == before)
      #expect(try await CommandRunner.run(["verify"], environment: environment).status == 0)
      let again = try await CommandRunner.run(["migrate-images", "--to-local"], environment: environment)
      #expect(again.status == 0 && again.stdout.contains("nothing to move"))
    }
  }

  @Test func throttledCutAndSlowRequestsLoseNothingAndStoreNothingTwice() async throws {
    try await Self.withBucketAndGateway { client, bucket, environment in
      let serverPort = try #require(URLComponents(string: bucket.server.endpoint)?.port)
      // Each object's first PUT is answered SlowDown or cut half-way (two in three), every fifth HEAD waits.
      let proxy = try FaultProxy(upstreamPort: serverPort) { method, path, index in
        switch (method, index) {
        case ("PUT", 0):
          switch path.utf8.reduce(0, { $0 &+ Int($1) }) % 3 {
          case 0: return .slowDown
          case 1: return .cutUpload
          default: return .none
          }
        case ("HEAD", _) where path.utf8.count % 5 == 0: return .delay(milliseconds: 300)
        default: return .none
        }
      }
      defer { proxy.stop() }
      for prompt in ["a red fox", "a blue heron", "a green owl"] {
        #expect(try await CommandRunner.run(["imagine", prompt, "--wait"], environment: environment).status == 0)
      }
      let sync = try await CommandRunner.run(
        [
          "sync", "--images", "s3://\(bucket.name)/faults", "--s3-endpoint", "http://127.0.0.1:\(proxy.port)",
          "--s3-path-style", "--cache-size", "0",
        ], environment: environment)
      #expect(sync.status == 0, "\(sync.stderr)")
      let faults = proxy.exchanges.map(\.fault)
      #expect(faults.contains(.slowDown) && faults.contains(.cutUpload))

      let database = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"])).appendingPathComponent(
        "archive.sqlite")
      let queue = try DatabaseQueue(path: database.path)
      let rows = try await queue.read { db in
        try Row.fetchAll(db, sql: "SELECT path, bytes FROM images").map {
          ("faults/" + ($0["path"] as String).dropFirst("images/".count), $0["bytes"] as Int)
        }
      }
      try queue.close()
      #expect(rows.count == 27)
      let objects = try await client.listAll(prefix: "faults/")
      #expect(Set(objects.map(\.key)) == Set(rows.map(\.0)), "nothing lost, no partial object")
      let sizes = Dictionary(objects.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
      for (key, bytes) in rows { #expect(sizes[key] == bytes, "\(key)") }
      // Each object stored once: one PUT of it the server took.
      let stored = Dictionary(grouping: proxy.exchanges.filter { $0.method == "PUT" && $0.status == 200 }, by: \.path)
      #expect(
        stored.count == rows.count && stored.values.allSatisfy { $0.count == 1 }, "\(stored.mapValues(\.count))")
      let verify = try await CommandRunner.run(["verify", "--deep"], environment: environment)
      #expect(verify.status == 0, "\(verify.stdout)")
    }
  }

  @Test func exportGalleryPublishesIntoABucketAndThenSendsOnlyWhatChanged() async throws {
    try await Self.withBucketAndGateway { client, bucket, environment in
      #expect(try await CommandRunner.run(["imagine", "a red fox", "--wait"], environment: environment).status == 0)
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      let export = [
        "export-gallery", "s3://\(bucket.name)/site", "--s3-endpoint", bucket.server.endpoint, "--s3-path-style",
      ]
      let first = try await CommandRunner.run(export, environment: environment)
      #expect(first.status == 0, "\(first.stderr)")
      let lines = first.stdout.split(separator: "\n")
      #expect(lines.last == "s3://\(bucket.name)/site/index.html")
      #expect(lines.dropLast().last?.hasPrefix("published: ") == true && !first.stdout.contains("published: 0 "))
      #expect(try await client.head("site/index.html") != nil)
      #expect(try await client.head("site/.mjarchive-gallery") != nil)

      let again = try await CommandRunner.run(export, environment: environment)
      #expect(again.status == 0)
      #expect(again.stdout.contains("published: 0 uploaded (Zero KB), "), "\(again.stdout)")
      // The staging folder is the archive's, named by a hash: nothing from the command line became a path.
      let published = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"])).appendingPathComponent(
        "published")
      let staged = try FileManager.default.contentsOfDirectory(atPath: published.path)
      #expect(staged.count == 1 && staged.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
    }
  }

  /// The images `html` shows, as keys of the bucket it was published to at `page`.
  private static func imageKeys(in html: String, page: String) throws -> Set<String> {
    let base = try #require(URL(string: "http://bucket.invalid/\(page)"))
    let sources = try Regex(#"src="([^"]+\.png)""#)
    return Set(
      html.matches(of: sources).compactMap { match in
        (match.output[1].substring).flatMap { URL(string: String($0), relativeTo: base)?.path.dropFirst() }
          .map(String.init)
      })
  }

  /// One finished imagine, synced into the bucket under `arch/` with no local cache left.
  private static func syncOneFoxWithoutCache(into bucket: TestBucket, environment: [String: String]) async throws {
    #expect(try await CommandRunner.run(["imagine", "a red fox", "--wait"], environment: environment).status == 0)
    let sync = try await CommandRunner.run(
      [
        "sync", "--images", "s3://\(bucket.name)/arch", "--s3-endpoint", bucket.server.endpoint, "--s3-path-style",
        "--cache-size", "0",
      ], environment: environment)
    #expect(sync.status == 0, "\(sync.stderr)")
  }

  /// export-files of an archive whose images are in the bucket and not in its cache: each picture read from the
  /// bucket (checked by SHA-256) and written with its prompt inside.
  @Test func exportFilesOfABucketArchiveReadsTheBucket() async throws {
    try await Self.withBucketAndGateway { _, bucket, environment in
      try await Self.syncOneFoxWithoutCache(into: bucket, environment: environment)
      let cache = try #require(environment["MJARCHIVE_DIR"]) + "/images"
      let cached = FileManager.default.subpaths(atPath: cache)?.filter { $0.hasSuffix(".png") } ?? []
      #expect(cached.isEmpty, "\(cached)")  // nothing to read locally: every picture comes from the bucket
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-f-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      let export = try await CommandRunner.run(
        ["export-files", folder.path, "--kind", "all", "--layout", "{id}{-part}.{ext}"], environment: environment)
      #expect(
        export.stdout == "5 files: 5 with metadata, 0 linked, 0 copied, 0 unchanged, 0 removed\n", "\(export.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
      #expect(names.count == 5)
      for name in names {
        let description = try run(
          "/usr/bin/exiftool", ["-s3", "-XMP-dc:Description", folder.appendingPathComponent(name).path])
        #expect(description.contains("a red fox"), "\(name)")
      }
    }
  }

  @Test func aBucketArchivesGalleryLinksItsImagesBesideThemAndCopiesThemElsewhere() async throws {
    try await Self.withBucketAndGateway { client, bucket, environment in
      try await Self.syncOneFoxWithoutCache(into: bucket, environment: environment)
      let archived = Set(try await client.listAll(prefix: "arch/").map(\.key))
      #expect(archived.count == 9)

      // In the same bucket (the archive's server by default): the pages link the images where they are.
      let beside = try await CommandRunner.run(
        ["export-gallery", "s3://\(bucket.name)/site"], environment: environment)
      #expect(beside.status == 0, "\(beside.stderr)")
      #expect(beside.stdout.contains("referenced where they are"), "\(beside.stdout)")
      #expect(try await client.listAll(prefix: "site/i/").isEmpty)
      let index = String(decoding: try #require(try await client.get("site/index.html")), as: UTF8.self)
      let shown = try Self.imageKeys(in: index, page: "site/index.html")
      #expect(!shown.isEmpty && shown.isSubset(of: archived), "\(shown)")

      // Inside the archive's image folders, verify would take the pages for strays: refused.
      let inside = try await CommandRunner.run(
        ["export-gallery", "s3://\(bucket.name)/arch/originals/site"], environment: environment)
      #expect(inside.status == 2)
      #expect(inside.stderr.contains("lies in the folders the archive keeps its images in"), "\(inside.stderr)")

      // Another bucket: each image copied from the archive's, checked against its SHA-256 name.
      let otherName = "\(bucket.name)-copy"
      let other = bucket.client(
        bucket: otherName, retry: RetryPolicy(maximumAttempts: 60, baseDelay: .milliseconds(250)))
      try await other.createBucket()
      try await other.put("probe", body: Data("ready".utf8), contentType: "text/plain")
      let copied = try await CommandRunner.run(["export-gallery", "s3://\(otherName)/site"], environment: environment)
      #expect(copied.status == 0, "\(copied.stderr)")
      let copies = try await other.listAll(prefix: "site/i/")
      #expect(copies.count >= 4)
      for copy in copies {
        let body = try #require(try await other.get(copy.key))
        #expect(copy.key.contains(SHA256.hash(data: body).lowercaseHex))
      }

      // A folder on disk: fetched from the bucket once, named by content.
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-g-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      let local = try await CommandRunner.run(["export-gallery", folder.path], environment: environment)
      #expect(local.status == 0, "\(local.stderr)")
      #expect(local.stdout.contains("\(copies.count) fetched from the bucket"), "\(local.stdout)")
      let again = try await CommandRunner.run(["export-gallery", folder.path], environment: environment)
      #expect(again.status == 0 && !again.stdout.contains("fetched"), "\(again.stdout)")
      #expect(again.stdout.contains("\(copies.count) unchanged"), "\(again.stdout)")

      // A CDN in front of the images: links only, and only to an http(s) address.
      let cdn = folder.appendingPathComponent("cdn")
      let linked = try await CommandRunner.run(
        ["export-gallery", cdn.path, "--image-base-url", "https://cdn.example.com/arch"], environment: environment)
      #expect(linked.status == 0, "\(linked.stderr)")
      let page = try String(contentsOf: cdn.appendingPathComponent("index.html"), encoding: .utf8)
      #expect(page.contains("src=\"https://cdn.example.com/arch/"))
      #expect(!FileManager.default.fileExists(atPath: cdn.appendingPathComponent("i").path))
      let script = try await CommandRunner.run(
        ["export-gallery", cdn.path, "--image-base-url", "javascript:alert(1)//x"], environment: environment)
      #expect(script.status == 2 && script.stderr.contains("--image-base-url takes an http(s) address"))
    }
  }
}
