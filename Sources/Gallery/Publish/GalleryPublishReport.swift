/// What publishing a gallery into a bucket did.
public struct GalleryPublishReport: Sendable, Equatable {
  /// Objects uploaded because they were new or changed since the last publish, and their bytes.
  public var uploaded = 0
  public var bytesUploaded: Int64 = 0
  /// Files the bucket held as they are.
  public var unchanged = 0
  /// Objects of pages and images no longer in the gallery, deleted.
  public var deleted = 0
  /// The gallery's front page: `s3://BUCKET/PREFIX/index.html`.
  public var indexLocation = ""

  public init() {}
}
