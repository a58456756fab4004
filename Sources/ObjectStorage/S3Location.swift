import Basics
import Foundation

/// Where in object storage: a bucket and a key prefix, written `s3://BUCKET/PREFIX`.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
  public var bucket: String
  /// Keys start with this and a `/`; empty for the bucket's top.
  public var prefix: String

  /// Parses and checks `s3://BUCKET[/PREFIX]`.
  ///
  /// The bucket follows S3's naming rules; the prefix is kept to RFC 3986's unreserved characters and `/`, with no
  /// empty, `.` or `..` part, so a key never means two things to two programs (a URL, a path, a gallery link).
  /// - Throws: `S3Error.invalidLocation` saying what is wrong.
  public init(_ text: String) throws(S3Error) {
    guard text.hasPrefix("s3://") else {
      throw .invalidLocation("\(text.singleLine(limit: 120)) is not an s3://BUCKET/PREFIX address")
    }
    let rest = text.dropFirst(5)
    let bucket = String(rest.prefix { $0 != "/" })
    var prefix = String(rest.dropFirst(bucket.count))
    while prefix.hasPrefix("/") { prefix.removeFirst() }
    while prefix.hasSuffix("/") { prefix.removeLast() }
    try self.init(bucket: bucket, prefix: prefix)
  }

  /// A checked bucket and prefix.
  ///
  /// - Throws: `S3Error.invalidLocation` saying what is wrong.
  public init(bucket: String, prefix: String) throws(S3Error) {
    let allowedInBucket = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
    guard (3...63).contains(bucket.count), bucket.allSatisfy(allowedInBucket.contains),
      let first = bucket.first, let last = bucket.last, first.isLetter || first.isNumber,
      last.isLetter || last.isNumber, !bucket.contains("..")
    else {
      throw .invalidLocation(
        "\(bucket.singleLine(limit: 80)) is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, "
          + "starting and ending with a letter or digit")
    }
    let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
    let parts = prefix.split(separator: "/", omittingEmptySubsequences: false)
    guard
      prefix.isEmpty
        || (prefix.utf8.count <= 512 && prefix.allSatisfy(unreserved.contains)
          && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." })
    else {
      throw .invalidLocation(
        "\(prefix.singleLine(limit: 80)) is not a usable prefix: letters, digits, - . _ ~ and / between "
          + "non-empty parts, no . or .. part, at most 512 bytes")
    }
    self.bucket = bucket
    self.prefix = prefix
  }

  /// The full key of `relativeKey` (`originals/ab/….png`) under the prefix.
  public func key(_ relativeKey: String) -> String {
    prefix.isEmpty ? relativeKey : "\(prefix)/\(relativeKey)"
  }

  /// `s3://BUCKET/PREFIX`.
  public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }
}
