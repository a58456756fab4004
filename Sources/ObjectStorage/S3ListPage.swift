/// One page of a listing (ListObjectsV2): up to 1,000 objects and where the next page starts.
public struct S3ListPage: Sendable {
  public var objects: [S3ObjectInfo]
  /// The token for the next page, or nil on the last one.
  public var continuationToken: String?
}
