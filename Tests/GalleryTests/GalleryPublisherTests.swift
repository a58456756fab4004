import ArchiveStore
import Foundation
import ObjectStorage
import TestSupport
import Testing

@testable import Gallery

/// A gallery published into a bucket of a real SeaweedFS server: what changed goes up, what went goes away.
@Suite struct GalleryPublisherTests {
  /// The bucket's keys under `prefix`, without it.
  private func keys(_ client: S3Client, _ prefix: String) async throws -> Set<String> {
    Set(try await client.listAll(prefix: prefix + "/").map { String($0.key.dropFirst(prefix.count + 1)) })
  }

  /// The paths the gallery's manifest lists.
  private func listed(_ folder: URL) throws -> Set<String> {
    Set(GalleryFolder.parse(try Data(contentsOf: folder.appendingPathComponent(GalleryFolder.manifestName))).keys)
  }

  @Test func onlyWhatChangedIsUploadedAndWhatWentIsDeleted() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try GalleryExporter(store: archive.store, options: GalleryOptions()).export(to: folder)
    try await TestBucket.with { client, bucket in
      let publisher = GalleryPublisher(client: client, location: try S3Location(bucket: bucket.name, prefix: "site"))
      // Not the gallery's: never touched.
      try await client.put("site/robots.txt", body: Data("User-agent: *".utf8), contentType: "text/plain")

      let first = try await publisher.publish(folder)
      let files = try listed(folder)
      #expect(first.uploaded == files.count && first.unchanged == 0 && first.deleted == 0)
      #expect(first.indexLocation == "s3://\(bucket.name)/site/index.html")
      #expect(try await keys(client, "site") == files.union([GalleryFolder.manifestName, "robots.txt"]))
      let index = try #require(try await client.get("site/index.html"))
      #expect(index == (try Data(contentsOf: folder.appendingPathComponent("index.html"))))

      let again = try await publisher.publish(folder)
      #expect(again.uploaded == 0 && again.unchanged == files.count && again.deleted == 0)

      // Fewer tasks: their pages and images go, after the pages that linked them changed.
      var options = GalleryOptions()
      options.query = SearchQuery(text: "fox")
      _ = try GalleryExporter(store: archive.store, options: options).export(to: folder)
      let fewer = try listed(folder)
      let narrowed = try await publisher.publish(folder)
      #expect(narrowed.deleted == files.subtracting(fewer).count && narrowed.deleted > 0)
      #expect(narrowed.uploaded > 0)
      #expect(try await keys(client, "site") == fewer.union([GalleryFolder.manifestName, "robots.txt"]))
    }
  }

  @Test func aForgedManifestInTheBucketCannotMakeAPublishDeleteAnythingElse() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try GalleryExporter(store: archive.store, options: GalleryOptions()).export(to: folder)
    try await TestBucket.with { client, bucket in
      let others = ["elsewhere.html", "site/robots.txt", "site/notes/t/a.html", "site/t/x.txt"]
      for key in others { try await client.put(key, body: Data("theirs".utf8), contentType: "text/plain") }
      // Someone wrote the manifest: paths out of the prefix, outside the gallery's folders, and one of them.
      let forged = [
        "mjarchive-gallery 2", "f - ../elsewhere.html", "f - t/../../elsewhere.html", "f - robots.txt",
        "f - notes/t/a.html", "f - /site/t/x.txt", "f - t/x.txt",
      ].joined(separator: "\n")
      try await client.put("site/.mjarchive-gallery", body: Data(forged.utf8), contentType: "text/plain")
      let report = try await GalleryPublisher(
        client: client, location: try S3Location(bucket: bucket.name, prefix: "site")
      ).publish(folder)
      // Only the gallery's own file the manifest named is removed.
      #expect(report.deleted == 1)
      #expect(try await client.head("site/t/x.txt") == nil)
      for key in others where key != "site/t/x.txt" { #expect(try await client.head(key) != nil, "\(key)") }
    }
  }

  @Test func pagesAndImagesAreTypedAndCachedForWhatTheyAre() {
    #expect(GalleryPublisher.contentType(of: "t/ab/x.html") == "text/html; charset=utf-8")
    #expect(GalleryPublisher.contentType(of: "assets/search-index.js") == "text/javascript; charset=utf-8")
    #expect(GalleryPublisher.contentType(of: "i/ab/cd.webp") == "image/webp")
    #expect(GalleryPublisher.cacheControl(of: "i/ab/cd.png") == "public, max-age=31536000, immutable")
    #expect(GalleryPublisher.cacheControl(of: "index.html") == "public, max-age=300")
  }
}
