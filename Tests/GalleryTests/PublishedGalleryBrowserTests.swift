import Foundation
import ObjectStorage
import TestSupport
import Testing

@testable import Gallery

/// A gallery published into a bucket and opened over HTTP from the S3 endpoint in headless Chromium, as a static
/// host in front of the bucket would serve it.
@Suite struct PublishedGalleryBrowserTests {
  @Test func thePublishedGalleryLoadsItsImagesAndSearchesOverHTTP() async throws {
    let (archive, folder) = try GalleryBrowserTests.exported()
    _ = archive
    try await TestBucket.with(public: true) { client, bucket in
      let prefix = "gallery-\(UUID().uuidString.prefix(8).lowercased())"
      _ = try await GalleryPublisher(client: client, location: try S3Location(bucket: bucket.name, prefix: prefix))
        .publish(folder)
      let site = "\(bucket.server.endpoint)/\(bucket.name)/\(prefix)/"
      let session = try await GalleryBrowserTests.browse([
        ["open": site + "index.html"],
        GalleryBrowserTests.ids("#pages .tile"),
        [
          "waitFor":
            "Array.from(document.images).length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
          "timeout": 10_000,
        ],
        ["key": "/"],
        ["type": "cat"],
        ["waitFor": "document.querySelectorAll('#result-tiles .tile').length > 0"],
        GalleryBrowserTests.ids("#result-tiles .tile"),
        ["eval": "document.contentType"],
      ])
      #expect(session.console == [], "console: \(session.console)")
      let elsewhere = session.requests.filter { !$0.hasPrefix(site) && !$0.hasPrefix("data:") }
      #expect(elsewhere == [], "requests outside the published gallery: \(elsewhere)")
      #expect(session.values.count == 8)
      guard session.values.count == 8 else { return }
      #expect((session.values[1] as? [String])?.count == 7)
      #expect(session.values[2] as? Bool == true, "every image loaded")
      #expect(Set(session.values[6] as? [String] ?? []) == [SampleArchive.imagine, SampleArchive.upscale])
      #expect(session.values[7] as? String == "text/html")
    }
  }

  /// With the archive's images in the same bucket, the pages link to them where they are: every image of the index
  /// and of a task page two folders deeper loads from the archive's prefix, and none is copied.
  @Test func aGalleryBesideTheArchivesImagesLinksThemWhereTheyAre() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    try await TestBucket.with(public: true) { client, bucket in
      let top = "shared-\(UUID().uuidString.prefix(8).lowercased())"
      let images = "\(top)/archive"
      for path in try archive.store.imagePaths() {
        let body = try Data(contentsOf: archive.directory.appendingPathComponent(path))
        try await client.put(
          "\(images)/\(path.dropFirst("images/".count))", body: body, contentType: "image/png")
      }
      let galleryPrefix = "\(top)/sites/gallery"
      var options = GalleryOptions()
      options.images = .sameBucket(imagesPrefix: images, galleryPrefix: galleryPrefix)
      let report = try GalleryExporter(store: archive.store, options: options).export(to: folder)
      #expect(report.imagesReferenced > 0 && report.imagesLinked + report.imagesCopied == 0)
      #expect(report.imagesToFetch.isEmpty)
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("i").path))
      let location = try S3Location(bucket: bucket.name, prefix: galleryPrefix)
      _ = try await GalleryPublisher(client: client, location: location).publish(folder)
      #expect(try await client.listAll(prefix: galleryPrefix + "/i/").isEmpty)

      let site = "\(bucket.server.endpoint)/\(bucket.name)/\(galleryPrefix)/"
      let everyImageLoaded: [String: Any] = [
        "waitFor":
          "Array.from(document.images).length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
        "timeout": 10_000,
      ]
      let session = try await GalleryBrowserTests.browse([
        ["open": site + "index.html"], everyImageLoaded,
        ["open": site + PageNames.taskPage(SampleArchive.imagine)], everyImageLoaded,
        ["eval": "document.images.length"],
      ])
      #expect(session.console == [], "console: \(session.console)")
      let pictures = session.requests.filter { $0.hasSuffix(".png") }
      let archiveImages = "\(bucket.server.endpoint)/\(bucket.name)/\(images)/"
      #expect(!pictures.isEmpty && pictures.allSatisfy { $0.hasPrefix(archiveImages) }, "\(pictures)")
      #expect(session.values.count == 5)
      guard session.values.count == 5 else { return }
      #expect(session.values[1] as? Bool == true, "every image of the index loaded")
      #expect(session.values[3] as? Bool == true, "every image of the task page loaded")
      #expect((session.values[4] as? Int ?? 0) >= 4)
    }
  }
}
