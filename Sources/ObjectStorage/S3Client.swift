import Basics
import Crypto
import Foundation
import MidjourneyAPI

/// Stores and reads objects in one bucket of an S3-compatible server, signing every request (SigV4) and retrying
/// what may pass on a second try (5xx, SlowDown, cut connections, timeouts) with backoff.
public struct S3Client: Sendable {
  public let endpoint: S3Endpoint
  public let bucket: String
  private let signer: SigV4Signer
  private let transport: any HTTPTransport
  private let retry: RetryPolicy
  private let timeout: Duration
  private let now: @Sendable () -> Date

  /// Creates a client; the transport is the caller's to shut down.
  ///
  /// - Parameters:
  ///   - timeout: Allowed for one request; an upload gets a second more per 64 KiB of body on top.
  ///   - now: The clock signatures are dated by (the tests move it to provoke RequestTimeTooSkewed).
  public init(
    endpoint: S3Endpoint, bucket: String, credentials: S3Credentials, transport: any HTTPTransport,
    retry: RetryPolicy = .standard, timeout: Duration = .seconds(60), now: @escaping @Sendable () -> Date = Date.init
  ) {
    self.endpoint = endpoint
    self.bucket = bucket
    self.signer = SigV4Signer(credentials: credentials, region: endpoint.region)
    self.transport = transport
    self.retry = retry
    self.timeout = timeout
    self.now = now
  }

  /// `bucket B at URL`, the place every error names.
  public var place: String { "bucket \(bucket) at \(endpoint)" }

  /// The object's size and ETag, or nil when there is no such object.
  public func head(_ key: String) async throws(S3Error) -> S3ObjectInfo? {
    let response = try await send("HEAD", key: key, accepting: [403, 404])
    guard response.status != 404 else { return nil }
    if response.status == 403 {
      // An answer to HEAD has no body, so no error code: a listing of the same key says why (a wrong secret, an
      // unknown key, a skewed clock), and throws it.
      _ = try await list(prefix: key, maximumKeys: 1)
      throw .accessDenied(place: place, code: "AccessDenied")
    }
    let size = response.header("Content-Length").flatMap(Int.init) ?? 0
    return S3ObjectInfo(key: key, size: size, etag: Self.unquoted(response.header("ETag")))
  }

  /// Stores `body` under `key` in one `PUT`, which the server applies whole or not at all.
  ///
  /// The server checks the body against `Content-MD5` and `X-Amz-Content-Sha256`; the answer's ETag is checked
  /// here against the MD5 when it has an MD5's shape (servers encrypting with KMS send another kind).
  /// - Parameter sha256: The body's SHA-256 in hex when the caller has it already (a download computed it).
  /// - Returns: The stored object, confirmed by the server.
  @discardableResult
  public func put(
    _ key: String, body: Data, sha256: String? = nil, contentType: String, cacheControl: String? = nil
  ) async throws(S3Error) -> S3ObjectInfo {
    let md5 = Insecure.MD5.hash(data: body)
    var headers = [
      (name: "Content-Type", value: contentType), (name: "Content-MD5", value: Data(md5).base64EncodedString()),
    ]
    if let cacheControl { headers.append((name: "Cache-Control", value: cacheControl)) }
    let response = try await send(
      "PUT", key: key, headers: headers, body: body,
      payloadSHA256: sha256 ?? SHA256.hash(data: body).lowercaseHex)
    let etag = Self.unquoted(response.header("ETag"))
    if etag.count == 32, etag.allSatisfy(\.isHexDigit), etag.lowercased() != md5.lowercaseHex {
      throw .integrity(place: place, key: key)
    }
    return S3ObjectInfo(key: key, size: body.count, etag: etag)
  }

  /// The object's bytes, or nil when there is no such object.
  ///
  /// - Parameter maximumBytes: A larger object fails instead of filling memory.
  public func get(_ key: String, maximumBytes: Int = 64 << 20) async throws(S3Error) -> Data? {
    let response = try await send("GET", key: key, accepting: [404], maximumBodyBytes: maximumBytes)
    return response.status == 404 ? nil : response.body
  }

  /// Removes the object; removing one that is not there succeeds, as in S3.
  public func delete(_ key: String) async throws(S3Error) {
    _ = try await send("DELETE", key: key, accepting: [404])
  }

  /// One page of the objects whose keys start with `prefix`, in key order (a key the listing holds outside the
  /// prefix was not asked for and is dropped, so no caller acts on it).
  public func list(
    prefix: String, continuationToken: String? = nil, maximumKeys: Int = 1000
  ) async throws(S3Error) -> S3ListPage {
    var query = [
      (name: "list-type", value: "2"), (name: "prefix", value: prefix), (name: "max-keys", value: "\(maximumKeys)"),
    ]
    if let continuationToken { query.append((name: "continuation-token", value: continuationToken)) }
    let response = try await send("GET", key: nil, query: query, maximumBodyBytes: 16 << 20)
    guard let answer = S3XMLAnswer(response.body), answer.root == "ListBucketResult" else {
      throw .unexpectedAnswer(place: place, detail: "a listing that is not ListBucketResult XML")
    }
    let objects = answer.records.filter { $0.name == "Contents" }.compactMap { record -> S3ObjectInfo? in
      guard let key = record.fields["Key"], key.hasPrefix(prefix) else { return nil }
      return S3ObjectInfo(
        key: key, size: record.fields["Size"].flatMap(Int.init) ?? 0, etag: Self.unquoted(record.fields["ETag"]))
    }
    let truncated = answer.fields["IsTruncated"] == "true"
    let next = answer.fields["NextContinuationToken"].flatMap { $0.isEmpty ? nil : $0 }
    if truncated, next == nil {
      throw .unexpectedAnswer(place: place, detail: "a truncated listing without a continuation token")
    }
    return S3ListPage(objects: objects, continuationToken: truncated ? next : nil)
  }

  /// Every object whose key starts with `prefix`, page after page.
  public func listAll(prefix: String) async throws(S3Error) -> [S3ObjectInfo] {
    var objects: [S3ObjectInfo] = []
    var token: String?
    repeat {
      let page = try await list(prefix: prefix, continuationToken: token)
      objects += page.objects
      // A server that hands back the token it was given would be listed forever.
      if let next = page.continuationToken, next == token {
        throw .unexpectedAnswer(place: place, detail: "a listing that repeats its continuation token")
      }
      token = page.continuationToken
    } while token != nil
    return objects
  }

  /// Creates the bucket; one that exists and is the caller's already is fine.
  public func createBucket() async throws(S3Error) {
    var body = Data()
    if !["us-east-1", "auto"].contains(endpoint.region) {
      body = Data(
        ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
          + "\(endpoint.region)</LocationConstraint></CreateBucketConfiguration>").utf8)
    }
    let response = try await send(
      "PUT", key: nil, body: body.isEmpty ? nil : body, payloadSHA256: SHA256.hash(data: body).lowercaseHex,
      accepting: [409])
    if response.status == 409, S3XMLAnswer(response.body)?.fields["Code"] != "BucketAlreadyOwnedByYou" {
      throw .accessDenied(place: place, code: "BucketAlreadyExists")
    }
  }

  /// Signs and sends one request, retrying with backoff what may pass; returns a 2xx answer or one of `accepting`.
  private func send(
    _ method: String, key: String?, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], body: Data? = nil,
    payloadSHA256: String = S3Client.emptySHA256, accepting: Set<Int> = [], maximumBodyBytes: Int = 1 << 20
  ) async throws(S3Error) -> TransportResponse {
    let (host, path) = endpoint.target(bucket: bucket, key: key)
    guard let url = endpoint.url(host: host, path: path, query: query) else {
      throw .invalidLocation("\(key ?? bucket) cannot be written as a URL")
    }
    let signed = [(name: "Host", value: host)] + headers
    var attempt = 0
    while true {
      attempt += 1
      let signature = signer.sign(
        method: method, path: path, query: query, headers: signed, payloadSHA256: payloadSHA256, date: now())
      let request = TransportRequest(
        method: method, url: url, headers: signed + signature.headers, body: body,
        timeout: timeout + .milliseconds((body?.count ?? 0) / 64), maximumBodyBytes: maximumBodyBytes)
      let cause: String
      var retryAfter: Duration?
      do {
        let response = try await transport.perform(request)
        if (200..<300).contains(response.status) || accepting.contains(response.status) { return response }
        let answer = S3XMLAnswer(response.body)
        let code = (answer?.fields["Code"] ?? "").singleLine(limit: 60)
        guard Self.isTransient(status: response.status, code: code) else {
          throw failure(status: response.status, code: code, message: answer?.fields["Message"] ?? "")
        }
        cause = "HTTP \(response.status)" + (code.isEmpty ? "" : " \(code)")
        retryAfter = RetryPolicy.parseRetryAfter(response.header("Retry-After"))
      } catch let error as S3Error {
        throw error
      } catch let error as TransportError {
        switch error {
        case .bodyTooLarge, .invalidRequest:
          throw .unexpectedAnswer(place: place, detail: error.description)
        default: cause = error.description
        }
      } catch {
        cause = "\(error)"
      }
      guard attempt < retry.maximumAttempts else { throw .unavailable(place: place, cause: cause, attempts: attempt) }
      do {
        try await retry.sleep(retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
      } catch {
        throw .unavailable(place: place, cause: "cancelled after \(cause)", attempts: attempt)
      }
    }
  }

  /// Whether another try may pass: server errors, throttling and the server's own timeouts.
  private static func isTransient(status: Int, code: String) -> Bool {
    [429, 500, 502, 503, 504].contains(status)
      || ["SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted"].contains(code)
  }

  /// The error for an answer no retry will change.
  private func failure(status: Int, code: String, message: String) -> S3Error {
    switch code {
    case "RequestTimeTooSkewed": return .clockSkew(place: place)
    case "SignatureDoesNotMatch": return .signatureMismatch(place: place)
    case "NoSuchBucket": return .noSuchBucket(place: place)
    case "AccessDenied", "InvalidAccessKeyId", "InvalidToken", "ExpiredToken", "AllAccessDisabled",
      "AuthorizationHeaderMalformed":
      return .accessDenied(place: place, code: code)
    case "PermanentRedirect", "IllegalLocationConstraintException":
      return .unexpectedAnswer(
        place: place,
        detail: "\(code): the bucket is in another region or behind another endpoint; check "
          + "--s3-region and --s3-endpoint")
    default:
      if status == 403 { return .accessDenied(place: place, code: code.isEmpty ? "HTTP 403" : code) }
      let detail = ["HTTP \(status)", code, message].filter { !$0.isEmpty }.joined(separator: " ")
      return .unexpectedAnswer(place: place, detail: detail.singleLine(limit: 200))
    }
  }

  /// An ETag without the quotes around it.
  private static func unquoted(_ etag: String?) -> String {
    (etag ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
  }

  /// The SHA-256 of no bytes, which a request without a body signs.
  static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
