/// What the server says of one stored object.
public struct S3ObjectInfo: Sendable, Equatable {
  public var key: String
  public var size: Int
  /// The entity tag without its quotes: the MD5 in hex for an object stored by one plain `PUT`.
  public var etag: String

  public init(key: String, size: Int, etag: String) {
    self.key = key
    self.size = size
    self.etag = etag
  }
}
