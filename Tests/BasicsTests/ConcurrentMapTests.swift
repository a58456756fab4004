import Basics
import Foundation
import Testing

@Suite struct ConcurrentMapTests {
  @Test func resultsKeepTheElementsOrder() {
    let numbers = Array(0..<3_000)
    #expect(numbers.concurrentMap { $0 * 2 } == numbers.map { $0 * 2 })
    #expect(Array(0..<7).concurrentMapOneByOne { $0 * 2 } == [0, 2, 4, 6, 8, 10, 12])
    #expect([Int]().concurrentMapOneByOne { $0 } == [])
  }

  /// A handful of heavy elements already share the cores (`reindex --hashes` maps batches of 256 pictures): the
  /// first two run at once, each waiting to see the other start.
  @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1))
  func aFewElementsRunOnSeveralCores() {
    let started = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
    let metTheOther = [0, 1].concurrentMapOneByOne { index in
      started[index].signal()
      return started[1 - index].wait(timeout: .now() + 20) == .success
    }
    #expect(metTheOther == [true, true])
  }
}
