import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct RetryPolicyTests {
  @Test func retryAfterReadsSecondsAndHTTPDates() {
    #expect(RetryPolicy.parseRetryAfter("7") == .seconds(7))
    let now = Date(timeIntervalSince1970: 1_784_000_000)
    let later = "Tue, 14 Jul 2026 03:33:40 GMT"  // 1_784_000_020
    #expect(RetryPolicy.parseRetryAfter(later, now: now) == .seconds(20))
    #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    #expect(RetryPolicy.parseRetryAfter(nil) == nil)
  }

  @Test func backoffGrowsWithJitterAndStaysUnderTheCap() {
    let policy = RetryPolicy(baseDelay: .milliseconds(100), maximumDelay: .seconds(1))
    for attempt in 1...8 {
      let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
      let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(1))
      #expect(delay <= ceiling)
      #expect(delay >= ceiling * 0.5)
    }
    #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30)) == .seconds(1))
    #expect(policy.delay(afterAttempt: 1, retryAfter: .milliseconds(300)) == .milliseconds(300))
  }
}
