import Foundation

/// Where the gallery's pages find the archive's images.
public enum GalleryImageSource: Sendable, Equatable {
  /// Hard-linked (or copied) from the archive's `images/` folder into the gallery's `i/` folder.
  case archiveFolder
  /// Left where they are: pages link to `base` followed by the file's path under `images/` (`originals/ab/….png`).
  /// `base` is an absolute http(s) URL or a path relative to the gallery's top, and ends with `/`.
  case referenced(base: String)
  /// Named in the gallery's `i/` folder but brought there after the export by what can reach them (the archive
  /// keeps them in a bucket): the report lists those the gallery lacks.
  case fetched

  /// Images at `url` (`--image-base-url`, a CDN or a public bucket in front of the archive's images).
  ///
  /// Only an absolute http(s) URL without query, fragment, credentials or characters that would need escaping in
  /// a page or a script: the value is written into every page's image addresses.
  /// - Throws: `GalleryError.badOption` saying what is wrong.
  public static func imageBaseURL(_ url: String) throws(GalleryError) -> GalleryImageSource {
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:%")
    guard url.allSatisfy(allowed.contains), let parsed = URL(string: url),
      let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
      let host = parsed.host, !host.isEmpty, parsed.user == nil, parsed.query == nil, parsed.fragment == nil,
      url.lowercased().hasPrefix("\(scheme)://")
    else {
      throw .badOption(
        "--image-base-url takes an http(s) address like https://cdn.example.com/archive/, without ?, # or "
          + "characters that need escaping")
    }
    return .referenced(base: url.hasSuffix("/") ? url : url + "/")
  }

  /// The images of a bucket archive (`images`, the archive's prefix there) seen from a gallery published under
  /// `gallery` in the same bucket: a relative path up to the bucket's top and down to the images, so the pages
  /// work from any host name or CDN that serves the bucket.
  public static func sameBucket(imagesPrefix: String, galleryPrefix: String) -> GalleryImageSource {
    let depth = galleryPrefix.isEmpty ? 0 : galleryPrefix.split(separator: "/").count
    let up = String(repeating: "../", count: depth)
    return .referenced(base: up + (imagesPrefix.isEmpty ? "" : imagesPrefix + "/"))
  }

  /// What the pages put before each image's path, for a page whose way up to the gallery's top is `pageBase`.
  func base(forPageBase pageBase: String) -> String {
    guard case .referenced(let base) = self else { return pageBase }
    return base.contains("://") ? base : pageBase + base
  }
}
