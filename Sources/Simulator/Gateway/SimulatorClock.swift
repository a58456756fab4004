import Foundation
import Synchronization

/// Wall-clock time that tests can move forward, to expire links or finish tasks without waiting.
public final class SimulatorClock: Sendable {
  private let offset = Mutex<TimeInterval>(0)

  public init() {}

  /// The simulator's current time.
  public var now: Date {
    Date().addingTimeInterval(offset.withLock { $0 })
  }

  /// Moves the simulator's time forward.
  public func advance(by seconds: TimeInterval) {
    offset.withLock { $0 += seconds }
  }
}
