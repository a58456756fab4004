/// Spaces the starts of requests so a run never asks more than `perSecond` of the gateway.
actor RequestPacer {
  private let interval: Duration
  private let clock = ContinuousClock()
  private var nextSlot: ContinuousClock.Instant

  /// A pacer for `perSecond` requests a second; zero or less means no cap.
  init(perSecond: Double) {
    interval = perSecond > 0 ? .nanoseconds(Int64(1_000_000_000 / perSecond)) : .zero
    nextSlot = clock.now
  }

  /// Waits for this request's turn (cancellation ends the wait early).
  func admit() async {
    guard interval > .zero else { return }
    let now = clock.now
    let slot = max(now, nextSlot)
    nextSlot = slot + interval
    if slot > now { try? await Task.sleep(until: slot, clock: clock) }
  }
}
