/// An image file in the gallery, relative to its top, with its size where known.
struct GalleryImage: Equatable {
  var path: String
  var width: Int?
  var height: Int?

  /// Template context: `src`, `alt`, and `hasSize` with `width` and `height` (the attributes are written only for
  /// a known size; every key is always set, so a template never picks up an outer value by the same name).
  func context(alt: String) -> [String: Any] {
    [
      "src": path, "href": path, "alt": alt, "hasSize": width != nil && height != nil,
      "width": width.map(String.init) ?? "", "height": height.map(String.init) ?? "",
    ]
  }
}
