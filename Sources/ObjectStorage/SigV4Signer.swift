import Basics
import Crypto
import Foundation

/// AWS Signature Version 4 in the `Authorization` header, as S3 and the services that copy its API check it.
///
/// Written by hand because no S3 SDK builds here; kept to what S3 needs. Paths are signed the S3 way: every byte
/// outside RFC 3986's unreserved set percent-encoded once, `/` kept, and no `.` or `..` removed (a key may hold them).
public struct SigV4Signer: Sendable {
  public var credentials: S3Credentials
  public var region: String
  public var service: String

  /// What signing a request gives: the headers to add, and the texts the published test vectors pin.
  public struct Signature: Sendable {
    /// `X-Amz-Date`, then `X-Amz-Content-Sha256` and `X-Amz-Security-Token` when used, then `Authorization`.
    public var headers: [(name: String, value: String)]
    public var canonicalRequest: String
    public var stringToSign: String
    public var signature: String
  }

  public init(credentials: S3Credentials, region: String, service: String = "s3") {
    self.credentials = credentials
    self.region = region
    self.service = service
  }

  /// Signs one request.
  ///
  /// - Parameters:
  ///   - path: The decoded path (`/bucket/key`), encoded here as `encodedPath` would; send that same encoding.
  ///   - query: Decoded names and values; send `canonicalQuery(query)` as the query string.
  ///   - headers: Every header to sign, `Host` included; repeated names are joined with commas.
  ///   - payloadSHA256: The lowercase hex SHA-256 of the body (of the empty string when there is none).
  ///   - sendsPayloadHash: Adds and signs `X-Amz-Content-Sha256`, which S3 requires.
  public func sign(
    method: String, path: String, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)], payloadSHA256: String, sendsPayloadHash: Bool = true, date: Date
  ) -> Signature {
    let timestamp = Self.timestamp(date)
    let day = String(timestamp.prefix(8))
    var added = [(name: "X-Amz-Date", value: timestamp)]
    if sendsPayloadHash { added.append((name: "X-Amz-Content-Sha256", value: payloadSHA256)) }
    if let token = credentials.sessionToken { added.append((name: "X-Amz-Security-Token", value: token)) }

    var grouped: [String: [String]] = [:]
    for header in headers + added {
      grouped[header.name.lowercased(), default: []].append(Self.trimmedHeaderValue(header.value))
    }
    let names = grouped.keys.sorted()
    let signedHeaders = names.joined(separator: ";")
    let canonicalHeaders = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
    let canonicalRequest = [
      method, Self.encodedPath(path), Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadSHA256,
    ].joined(separator: "\n")

    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", timestamp, scope, SHA256.hash(data: Data(canonicalRequest.utf8)).lowercaseHex,
    ].joined(separator: "\n")
    var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
    for part in [day, region, service, "aws4_request"] {
      key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
    }
    let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).lowercaseHex
    let authorization =
      "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
      + "Signature=\(signature)"
    return Signature(
      headers: added + [(name: "Authorization", value: authorization)], canonicalRequest: canonicalRequest,
      stringToSign: stringToSign, signature: signature)
  }

  /// The path as sent and signed: each segment percent-encoded, `/` kept.
  public static func encodedPath(_ path: String) -> String {
    let encoded = path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncoded(String($0)) }
      .joined(separator: "/")
    return encoded.isEmpty ? "/" : encoded
  }

  /// The query string as sent and signed: names and values percent-encoded, sorted by name, then value.
  public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
    let encoded: [(name: String, value: String)] = query.map { (uriEncoded($0.name), uriEncoded($0.value)) }
    let sorted = encoded.sorted { left, right in
      left.name == right.name ? left.value < right.value : left.name < right.name
    }
    return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
  }

  /// `text` with every byte but A–Z, a–z, 0–9 and `-._~` written as `%XX` (uppercase), as SigV4 requires.
  public static func uriEncoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
      }
    }
    return encoded
  }

  /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
  static func timestamp(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
  }

  /// A header value as signed: ends trimmed and each run of spaces inside made one.
  private static func trimmedHeaderValue(_ value: String) -> String {
    value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }
}
