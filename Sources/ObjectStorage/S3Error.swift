import Foundation

/// Why object storage could not be used, in words that say what to check.
public enum S3Error: Error, CustomStringConvertible, Sendable, Equatable {
  /// `s3://…` is malformed.
  case invalidLocation(String)
  /// `--s3-endpoint` or `--s3-region` is malformed.
  case invalidEndpoint(String)
  /// No credentials, or a credentials file without a needed field.
  case invalidCredentials(String)
  /// The server refused the credentials or their rights (403 AccessDenied, InvalidAccessKeyId, …).
  case accessDenied(place: String, code: String)
  /// The server computed another signature: a wrong secret key or region.
  case signatureMismatch(place: String)
  /// The bucket does not exist at this endpoint.
  case noSuchBucket(place: String)
  /// The clocks of this machine and the server differ by more than S3 allows (15 minutes).
  case clockSkew(place: String)
  /// The server kept failing (5xx, SlowDown, cut connections) through every retry.
  case unavailable(place: String, cause: String, attempts: Int)
  /// An answer that is not what S3 sends: an unknown error, a redirect elsewhere, unparsable XML.
  case unexpectedAnswer(place: String, detail: String)
  /// The stored object is not the bytes sent (its ETag is another MD5).
  case integrity(place: String, key: String)

  public var description: String {
    switch self {
    case .invalidLocation(let detail): return detail
    case .invalidEndpoint(let detail): return "--s3-endpoint: \(detail)"
    case .invalidCredentials(let detail): return "S3 credentials: \(detail)"
    case .accessDenied(let place, let code):
      return "\(place) refused access (\(code)): check the access key and its rights on the bucket"
    case .signatureMismatch(let place):
      return "\(place) rejected the request's signature: check the secret key and --s3-region"
    case .noSuchBucket(let place):
      return "\(place): no such bucket; create it, or check --s3-endpoint and --s3-path-style"
    case .clockSkew(let place):
      return "\(place) says this machine's clock is wrong by more than 15 minutes (RequestTimeTooSkewed): set the "
        + "clock (timedatectl set-ntp true)"
    case .unavailable(let place, let cause, let attempts):
      return "\(place) failed \(attempts) times, last with \(cause): try again later"
    case .unexpectedAnswer(let place, let detail): return "\(place) gave an unexpected answer: \(detail)"
    case .integrity(let place, let key):
      return "\(place) stored other bytes than were sent for \(key); nothing was recorded"
    }
  }

  /// The exit status the command contract gives it: 2 for usage, 3 for what the server refused, 1 otherwise.
  public var exitCode: Int32 {
    switch self {
    case .invalidLocation, .invalidEndpoint, .invalidCredentials: return 2
    case .accessDenied, .signatureMismatch, .noSuchBucket, .clockSkew: return 3
    case .unavailable, .unexpectedAnswer, .integrity: return 1
    }
  }
}
