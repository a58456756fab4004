import Testing

@testable import Gallery

/// Where pages find the images: the addresses written into every page are checked and built here.
struct GalleryImageSourceTests {
  @Test(arguments: [
    "javascript:alert(1)//x", "https://cdn.example.com/a\"onerror=alert(1)", "https://cdn.example.com/a?b=c",
    "https://cdn.example.com/#x", "https://user@cdn.example.com/", "ftp://cdn.example.com/", "//cdn.example.com/",
    "https://cdn.example.com/a b", "https://cdn.example.com/<script>", "", "https://",
  ])
  func addressesThatWouldNeedEscapingOrLeadElsewhereAreRefused(url: String) {
    #expect(throws: GalleryError.self) { try GalleryImageSource.imageBaseURL(url) }
  }

  @Test func anAddressGetsItsSlashAndIsUsedAsItIsOnEveryPage() throws {
    let source = try GalleryImageSource.imageBaseURL("https://cdn.example.com/my-archive")
    #expect(source == .referenced(base: "https://cdn.example.com/my-archive/"))
    #expect(source.base(forPageBase: "../../") == "https://cdn.example.com/my-archive/")
  }

  @Test func imagesInTheSameBucketAreReachedUpToTheTopAndDown() {
    let source = GalleryImageSource.sameBucket(imagesPrefix: "me/archive", galleryPrefix: "sites/gallery")
    #expect(source == .referenced(base: "../../me/archive/"))
    // A task page two folders down goes up those first.
    #expect(source.base(forPageBase: "../../") == "../../../../me/archive/")
    #expect(GalleryImageSource.sameBucket(imagesPrefix: "", galleryPrefix: "") == .referenced(base: ""))
    #expect(GalleryImageSource.archiveFolder.base(forPageBase: "../") == "../")
  }
}
