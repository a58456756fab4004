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
      let session = try GalleryBrowserTests.browse([
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
      #expect(Set(session.values[6] as? [String] ?? []) == [GalleryArchive.imagine, GalleryArchive.upscale])
      #expect(session.values[7] as? String == "text/html")
    }
  }
}
