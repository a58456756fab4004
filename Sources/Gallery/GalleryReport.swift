/// What an export did.
public struct GalleryReport: Sendable, Equatable {
  /// Tasks exported.
  public var tasks = 0
  /// Pages (and assets) written because they were new or their content changed.
  public var pagesWritten = 0
  /// Pages left as they were: same content as the last export.
  public var pagesUnchanged = 0
  /// Files of tasks no longer exported, removed.
  public var filesRemoved = 0
  public var imagesLinked = 0
  public var imagesCopied = 0
  /// Images already in the gallery from an earlier export.
  public var imagesUnchanged = 0
  /// Files the archive lists but that are missing or unusable (the pages say so).
  public var imagesMissing = 0
  /// Thumbnails made because the archive had none of the asked size.
  public var thumbnailsMade = 0
  /// Images the pages link to where they are (`GalleryImageSource.referenced`).
  public var imagesReferenced = 0
  /// Images the gallery names and lacks, to be brought in (`GalleryImageSource.fetched`).
  public var imagesToFetch: [GalleryImageFetch] = []
  /// The gallery's front page.
  public var indexPath = ""

  public init() {}
}
