/// Why no complete HTTP answer arrived.
public enum TransportError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Nothing accepted the connection: the request provably never reached the server.
  case connectionRefused(host: String)
  /// No answer within the allowed time; the request may or may not have arrived.
  case timedOut
  /// The answer began but did not end in the time allowed (a server sending a byte now and then).
  case tooSlow(seconds: Int)
  /// The HTTP proxy refused the connection: the request provably never left.
  case proxyRefused(proxy: String)
  /// The connection closed mid-answer, e.g. a body shorter than its Content-Length.
  case connectionClosed
  /// The answer was bigger than the caller allows.
  case bodyTooLarge(limit: Int)
  /// The URL or proxy setting cannot be used.
  case invalidRequest(String)
  /// Any other failure, described without request headers (so never with the key).
  case other(String)

  public var description: String {
    switch self {
    case .connectionRefused(let host): return "connection to \(host) refused"
    case .proxyRefused(let proxy): return "connection to the proxy \(proxy) refused"
    case .timedOut: return "timed out"
    case .tooSlow(let seconds): return "the answer was still coming after \(seconds) s, slower than allowed"
    case .connectionClosed: return "connection closed before the answer was complete"
    case .bodyTooLarge(let limit): return "answer larger than \(limit) bytes"
    case .invalidRequest(let detail): return detail
    case .other(let detail): return detail
    }
  }
}
