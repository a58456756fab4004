import Foundation

/// Sends one HTTP request and returns the whole answer: the seam where tests put the simulator behind a real client.
public protocol HTTPTransport: Sendable {
  /// Performs the request.
  ///
  /// - Throws: `TransportError` when no complete HTTP answer arrived.
  func perform(_ request: TransportRequest) async throws(TransportError) -> TransportResponse

  /// Performs the request and hands the answer's body to `consume` piece by piece as it arrives (at
  /// most `request.maximumBodyBytes` in all), without copying, so a large image never sits in memory.
  ///
  /// A redirect is not followed: the 3xx answer comes back with its `Location`, for the caller to
  /// check where it leads before going there.
  ///
  /// - Returns: The status and headers, and how many body bytes were handed over.
  /// - Throws: `TransportError` when no complete answer arrived (a cut body is `.connectionClosed`);
  ///   an error thrown by `consume` ends the download as `.other`.
  func download(
    _ request: TransportRequest, consume: (UnsafeRawBufferPointer) throws -> Void
  ) async throws(TransportError) -> DownloadResponse
}

/// The head of a streamed answer and how many body bytes were written.
public struct DownloadResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var bodyBytes: Int

  public init(status: Int, headers: [(name: String, value: String)] = [], bodyBytes: Int) {
    self.status = status
    self.headers = headers
    self.bodyBytes = bodyBytes
  }

  /// The first value of a header, matched case-insensitively.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

/// One HTTP request as the gateway client builds it.
public struct TransportRequest: Sendable {
  public var method: String
  public var url: URL
  public var headers: [(name: String, value: String)]
  public var body: Data?
  /// Time allowed for the whole exchange, body included (a server trickling bytes cannot hold it longer).
  public var timeout: Duration
  /// Largest answer body accepted; a bigger one fails instead of filling memory.
  public var maximumBodyBytes: Int
  /// For large bodies: the slowest rate accepted, which adds a second per this many bytes received to `timeout`.
  public var minimumBytesPerSecond: Int?
  /// The address to connect to for the URL's host, the one a policy checked, instead of resolving the name
  /// again (an answer that changed in between would get past the check); nil to resolve as usual.
  public var connectTo: String?

  public init(
    method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
    timeout: Duration = .seconds(30), maximumBodyBytes: Int = 32 << 20, minimumBytesPerSecond: Int? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.maximumBodyBytes = maximumBodyBytes
    self.minimumBytesPerSecond = minimumBytesPerSecond
  }

  /// When the exchange must be over, given when it started and the body bytes received so far.
  public func deadline(startedAt start: ContinuousClock.Instant, received: Int) -> ContinuousClock.Instant {
    guard let rate = minimumBytesPerSecond, rate > 0 else { return start + timeout }
    return start + timeout + .milliseconds(Int64(received) * 1_000 / Int64(rate))
  }
}

/// A complete HTTP answer.
public struct TransportResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: Data

  public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first value of a header, matched case-insensitively.
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}
