import Foundation

/// A misbehaviour the simulator can inject into one answer.
public enum Fault: Sendable, Equatable {
  /// An nginx-style HTML error page with this status (500, 502, 503…).
  case htmlError(status: Int)
  /// HTTP 429 with a `Retry-After` header in seconds.
  case rateLimited(retryAfter: Int)
  /// Answer normally after a delay.
  case slow(seconds: Double)
  /// A 200 whose JSON body is cut in half (the Content-Length matches the cut body).
  case truncatedJSON
  /// Announce the full Content-Length, send half the body, close the connection.
  case truncatedBody
  /// A 200 with an empty body.
  case emptyBody
  /// A 403 on an image, as Discord's CDN answers an expired link.
  case expiredLink
  /// A 302 to this location (absolute or relative), as an image proxy or a hostile one might answer.
  case redirect(location: String)
  /// A list answer whose first task has a hostile id (`../../etc/passwd`), as a broken gateway might send.
  case hostileListEntry
  /// Answer normally, but send the body `bytes` at a time, a piece every `interval` seconds: a server that keeps a
  /// connection busy without ever finishing.
  case trickle(bytes: Int, interval: Double)
  /// The answer gzip-encoded (`Content-Encoding: gzip`, its length the encoded one) when the request asks for
  /// gzip, as a web server in front of the gateway would; otherwise the plain answer.
  case gzipWhenAsked
  /// A 200 JSON answer of exactly these bytes instead of the real one: a task nobody asked for, a key given twice,
  /// far more entries than asked, as a hostile gateway might send.
  case replacedBody(Data)
}
