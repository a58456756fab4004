/// An image file in the gallery, relative to its top, with its size where known.
struct GalleryImage: Equatable {
  var path: String
  var width: Int?
  var height: Int?

  /// Template context: `src`, `width`, `height` (sizes only where known, so the attributes stay valid).
  func context(alt: String) -> [String: Any] {
    var context: [String: Any] = ["src": path, "href": path, "alt": alt]
    if let width, let height {
      context["width"] = String(width)
      context["height"] = String(height)
    }
    return context
  }
}
