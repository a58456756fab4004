import Foundation

/// How often and how long to retry: exponential backoff with full jitter, honouring `Retry-After`.
public struct RetryPolicy: Sendable {
  /// Attempts in all, the first included.
  public var maximumAttempts: Int
  public var baseDelay: Duration
  public var maximumDelay: Duration
  /// Waits between attempts; replaceable so tests can record the delays instead of sleeping.
  public var sleep: @Sendable (Duration) async throws -> Void

  public init(
    maximumAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(30),
    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
  ) {
    self.maximumAttempts = max(1, maximumAttempts)
    self.baseDelay = baseDelay
    self.maximumDelay = maximumDelay
    self.sleep = sleep
  }

  /// The default for interactive use.
  public static let standard = RetryPolicy()

  /// The wait before attempt `attempt + 1` (attempt counts from 1): at least `retryAfter` when the
  /// server asked for it, else a random share of `baseDelay · 2^(attempt-1)`, never above `maximumDelay`.
  public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
    if let retryAfter { return min(retryAfter, maximumDelay) }
    let exponent = min(attempt - 1, 30)
    let ceiling = min(baseDelay * (1 << exponent), maximumDelay)
    let fraction = Double.random(in: 0.5...1.0)
    return ceiling * fraction
  }

  /// Reads `Retry-After` as seconds or as an HTTP date.
  public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
    guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: value) else { return nil }
    return .seconds(max(0, Int(date.timeIntervalSince(now).rounded(.up))))
  }
}
