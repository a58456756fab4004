/// When to misbehave: scripted faults first (in order, each once), then random ones at set rates.
public struct FaultPlan: Sendable {
  /// Faults used once each, in order, on the first answers whose route matches.
  public var scripted: [(route: FaultRoute, fault: Fault)]
  /// Share (0–1) of API answers replaced by a 502 HTML page.
  public var serverErrorRate: Double
  /// Share of API answers replaced by a 429.
  public var rateLimitRate: Double
  /// Share of API answers delayed by `slowSeconds`.
  public var slowRate: Double
  public var slowSeconds: Double
  /// Share of API answers with truncated JSON.
  public var truncatedJSONRate: Double
  /// Share of image downloads cut short.
  public var truncatedImageRate: Double
  /// Share of image downloads answered 403 as an expired link is (the task's fresh link works).
  public var expiredImageRate: Double
  /// Most extra delay, picked at random per answer, on top of `SimulatorConfiguration.latencySeconds`.
  public var latencyJitterSeconds: Double
  /// Seconds sent in `Retry-After`.
  public var retryAfterSeconds: Int
  /// Seed of the random choices, so a run can be repeated.
  public var seed: UInt64

  public init(
    scripted: [(route: FaultRoute, fault: Fault)] = [], serverErrorRate: Double = 0, rateLimitRate: Double = 0,
    slowRate: Double = 0, slowSeconds: Double = 2, truncatedJSONRate: Double = 0, truncatedImageRate: Double = 0,
    expiredImageRate: Double = 0, latencyJitterSeconds: Double = 0, retryAfterSeconds: Int = 1, seed: UInt64 = 42
  ) {
    self.scripted = scripted
    self.serverErrorRate = serverErrorRate
    self.rateLimitRate = rateLimitRate
    self.slowRate = slowRate
    self.slowSeconds = slowSeconds
    self.truncatedJSONRate = truncatedJSONRate
    self.truncatedImageRate = truncatedImageRate
    self.expiredImageRate = expiredImageRate
    self.latencyJitterSeconds = latencyJitterSeconds
    self.retryAfterSeconds = retryAfterSeconds
    self.seed = seed
  }

  /// No faults.
  public static let none = FaultPlan()
}
