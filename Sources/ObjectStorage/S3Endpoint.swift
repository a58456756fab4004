import Basics
import Foundation

/// The S3-compatible server to talk to: its URL, the region signatures name, and how buckets are addressed.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
  /// `http` or `https`.
  public var scheme: String
  public var host: String
  public var port: Int?
  /// The region in the signature's scope (`us-east-1` for MinIO and SeaweedFS, `auto` for Cloudflare R2).
  public var region: String
  /// `https://host/BUCKET/KEY` rather than `https://BUCKET.host/KEY`: needed by MinIO, SeaweedFS and any
  /// server reached by IP address.
  public var pathStyle: Bool

  /// Parses `--s3-endpoint URL`: `http(s)://host[:port]` with nothing after it.
  ///
  /// - Throws: `S3Error.invalidEndpoint` saying what is wrong.
  public init(url text: String, region: String = "us-east-1", pathStyle: Bool) throws(S3Error) {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
    else {
      throw .invalidEndpoint("\(text.singleLine(limit: 120)) is not an http:// or https:// URL")
    }
    guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil,
      components.path.isEmpty || components.path == "/"
    else {
      throw .invalidEndpoint(
        "\(text.redactedURL.singleLine(limit: 120)) has more than scheme://host:port; give the bucket with s3://")
    }
    guard !region.isEmpty, region.count <= 64,
      region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else {
      throw .invalidEndpoint("\(region.singleLine(limit: 80)) is not a region name like us-east-1 or auto")
    }
    self.scheme = scheme
    self.host = host.lowercased()
    self.port = components.port
    self.region = region
    self.pathStyle = pathStyle
  }

  /// The `Host` header and the decoded path for `key` in `bucket` (the bucket itself when `key` is nil).
  public func target(bucket: String, key: String?) -> (host: String, path: String) {
    if pathStyle { return (authority, "/\(bucket)" + (key.map { "/\($0)" } ?? "")) }
    return ("\(bucket).\(authority)", "/" + (key ?? ""))
  }

  /// The URL for a host and path from `target`, with `query` encoded as it is signed.
  public func url(host: String, path: String, query: [(name: String, value: String)]) -> URL? {
    let queryText = query.isEmpty ? "" : "?" + SigV4Signer.canonicalQuery(query)
    return URL(string: "\(scheme)://\(host)\(SigV4Signer.encodedPath(path))\(queryText)")
  }

  /// `host[:port]`, an IPv6 address in brackets.
  private var authority: String { (host.contains(":") ? "[\(host)]" : host) + (port.map { ":\($0)" } ?? "") }

  /// `scheme://host:port`: for messages, and what `init(url:)` reads back.
  public var description: String { "\(scheme)://\(authority)" }
}
