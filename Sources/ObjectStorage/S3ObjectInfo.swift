import Basics
import Crypto
import Foundation

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

  /// Whether the object holds exactly `body`: its size, and an ETag that is the body's MD5 (an ETag of another
  /// kind, from a multipart upload or KMS, cannot tell, so the answer is no).
  public func holds(_ body: Data) -> Bool {
    size == body.count && etag.lowercased() == Insecure.MD5.hash(data: body).lowercaseHex
  }
}
