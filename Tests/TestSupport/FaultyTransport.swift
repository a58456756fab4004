import Basics
import Foundation
import MidjourneyAPI

/// The real transport behind a faulty network: after the first `after` requests, the next `faults` get `fault`
/// instead of going through; the methods of those that went through are kept.
public final class FaultyTransport: HTTPTransport {
  public enum Fault: Sendable {
    case answer(TransportResponse)
    case error(TransportError)
    /// The request goes through with one byte of its body changed, as a bad network card or proxy would.
    case corruptedBody
  }

  private let real: any HTTPTransport
  private let fault: Fault
  private let remaining: Locked<(passing: Int, faults: Int)>
  /// Requests that reached the real transport, by method.
  public let passed = Locked<[String]>([])

  public init(_ real: any HTTPTransport, fault: Fault, faults: Int, after: Int = 0) {
    self.real = real
    self.fault = fault
    self.remaining = Locked((after, faults))
  }

  /// S3's throttling answer (made anew each time: LeakSanitizer counts a global's buffer as leaked).
  public static var slowDown: Fault {
    .answer(
      TransportResponse(
        status: 503, headers: [(name: "Content-Type", value: "application/xml")],
        body: Data(
          "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>".utf8)))
  }

  private func takeFault() -> Bool {
    remaining.withLock { remaining in
      if remaining.passing > 0 {
        remaining.passing -= 1
        return false
      }
      guard remaining.faults > 0 else { return false }
      remaining.faults -= 1
      return true
    }
  }

  public func perform(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
    var request = request
    if takeFault() {
      switch fault {
      case .answer(let response): return response
      case .error(let error): throw error
      case .corruptedBody:
        if var body = request.body, !body.isEmpty {
          body[body.startIndex] ^= 0xFF
          request.body = body
        }
      }
    }
    passed.withLock { $0.append(request.method) }
    return try await real.perform(request)
  }

  public func download(
    _ request: TransportRequest, consume: (UnsafeRawBufferPointer) throws -> Void
  ) async throws(TransportError) -> DownloadResponse {
    try await real.download(request, consume: consume)
  }
}
