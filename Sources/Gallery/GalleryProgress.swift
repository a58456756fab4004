/// How far an export is, for a progress line.
public struct GalleryProgress: Sendable, Equatable {
  /// The stage: reading, images, thumbnails, pages.
  public var stage: String
  public var done: Int
  public var total: Int
}
