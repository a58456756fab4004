import Foundation

extension Array where Element: Sendable {
  /// `map` spread over every core in contiguous chunks; the results keep the elements' order.
  public func concurrentMap<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
    guard count > 1_000 else { return map(transform) }
    let lanes = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunk = (count + lanes - 1) / lanes
    var parts = [[Result]](repeating: [], count: lanes)
    parts.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        let range = (lane * chunk)..<Swift.min(count, (lane + 1) * chunk)
        buffer[lane] = range.isEmpty ? [] : self[range].map(transform)
      }
    }
    return parts.flatMap { $0 }
  }
}
