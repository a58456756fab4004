import SafeFiles

/// Why an image could not be brought home; each in one sentence.
public enum DownloadError: Error, CustomStringConvertible, Equatable, Sendable {
  /// 403 or 404 on the image: the signed link has probably expired.
  case expired(status: Int)
  /// Another HTTP status.
  case httpStatus(Int)
  /// 429 or 503: the image host asks to slow down, for `retryAfter` when it says.
  case throttled(status: Int, retryAfter: Duration?)
  /// The body is not a PNG, WEBP or JPEG.
  case notAnImage(looksLike: String)
  /// The download stopped early or failed on the way.
  case transfer(String)
  /// What arrived is not a whole image (cut short, padded, a length other than announced).
  case incomplete(String)
  /// The image link is not an http(s) URL.
  case badLink(String)
  /// The link, or a redirect, leads somewhere downloads may not go.
  case refusedLink(String)
  /// Redirects in a loop or too many of them.
  case redirects(String)
  /// The file could not be written.
  case cannotWrite(path: String, reason: String)
  /// A folder or file of the archive could not be used safely (a planted link, a full disk).
  case folder(OwnedFolderError)

  public var description: String {
    switch self {
    case .expired(let status): return "the image link answered HTTP \(status) (expired?)"
    case .httpStatus(let status): return "the image link answered HTTP \(status)"
    case .throttled(let status, _): return "the image host answered HTTP \(status) (slow down) every time"
    case .notAnImage(let kind): return "the image link gave \(kind), not a PNG, WEBP or JPEG"
    case .transfer(let detail): return "the image download failed: \(detail)"
    case .incomplete(let detail): return "the image download is not a whole image, so it was not kept: \(detail)"
    case .badLink(let link): return "the image link \"\(link.prefix(120))\" is not an http(s) URL"
    case .refusedLink(let reason): return "the image link is not followed: \(reason)"
    case .redirects(let reason): return reason
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .folder(let error): return error.description
    }
  }
}
