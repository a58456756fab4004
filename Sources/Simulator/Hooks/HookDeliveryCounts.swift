/// What the simulator did with its callbacks, for tests and the benchmark.
public struct HookDeliveryCounts: Sendable, Equatable {
  /// Callbacks due (one per task and step).
  public var due = 0
  /// Callbacks never sent (`HookFaultPlan.dropRate`).
  public var dropped = 0
  /// Extra copies sent (`HookFaultPlan.duplicateRate`).
  public var duplicated = 0
  /// Progress callbacks sent again after the final one (`HookFaultPlan.reorder`).
  public var late = 0
  /// POSTs answered with a 2xx.
  public var delivered = 0
  /// POSTs that failed or were answered otherwise (only counted, as real gateways only log them).
  public var failed = 0

  public init() {}
}
