/// How the simulator's callbacks misbehave, as real gateways' do: lost, repeated, late and out of order.
public struct HookFaultPlan: Sendable {
  /// Share (0–1) of callbacks never sent, as when the gateway restarts or loses Discord.
  public var dropRate: Double
  /// Share of callbacks sent twice.
  public var duplicateRate: Double
  /// Whether a task's last progress callback is sent again after its final one.
  public var reorder: Bool
  /// Milliseconds each callback waits before it is sent.
  public var delayMilliseconds: Int
  /// Seed of the random choices, so a run can be repeated.
  public var seed: UInt64

  public init(
    dropRate: Double = 0, duplicateRate: Double = 0, reorder: Bool = false, delayMilliseconds: Int = 0,
    seed: UInt64 = 7
  ) {
    self.dropRate = dropRate
    self.duplicateRate = duplicateRate
    self.reorder = reorder
    self.delayMilliseconds = delayMilliseconds
    self.seed = seed
  }

  /// Every callback sent once, at once, in order.
  public static let none = HookFaultPlan()
}
