import Foundation

extension Array where Element: Sendable {
  /// `map` spread over every core in contiguous chunks; the results keep the elements' order.
  ///
  /// For light work on many elements: below 1,000 it maps on this thread, where waking others costs more.
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

  /// `map` of heavy work (a picture decoded each), every element handed to the next free core; the results keep
  /// the elements' order.
  ///
  /// One at a time, not in chunks: elements of very different cost (a grid and a quadrant) still share the cores.
  public func concurrentMapOneByOne<Result: Sendable>(_ transform: @Sendable (Element) -> Result) -> [Result] {
    var results = [Result?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: count) { index in buffer[index] = transform(self[index]) }
    }
    return results.compactMap { $0 }
  }
}
