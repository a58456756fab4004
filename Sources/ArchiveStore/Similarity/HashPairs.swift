import Foundation

/// Every pair of hashes within a distance, found by multi-index hashing instead of comparing all pairs.
///
/// The 64 bits are cut into four 16-bit chunks. Two hashes within `d` bits differ in at most `d / 4` bits in at
/// least one chunk (pigeonhole), so each hash only meets those whose value in some chunk is within `d / 4` bits
/// of its own: a lookup of each such value in that chunk's table. Each pair is then checked on all 64 bits.
struct HashPairs {
  private let hashes: [UInt64]
  /// For each chunk, the hashes' indices sorted by that chunk's value, and where each value's run starts.
  private let order: [[Int32]]
  private let starts: [[Int32]]

  init(_ hashes: [UInt64]) {
    self.hashes = hashes
    var order: [[Int32]] = []
    var starts: [[Int32]] = []
    for chunk in 0..<4 {
      var counts = [Int32](repeating: 0, count: 65_537)
      for hash in hashes { counts[Int(Self.value(of: hash, chunk: chunk)) + 1] += 1 }
      for value in 0..<65_536 { counts[value + 1] += counts[value] }
      var next = counts
      var sorted = [Int32](repeating: 0, count: hashes.count)
      for (index, hash) in hashes.enumerated() {
        let value = Int(Self.value(of: hash, chunk: chunk))
        sorted[Int(next[value])] = Int32(index)
        next[value] += 1
      }
      order.append(sorted)
      starts.append(counts)
    }
    self.order = order
    self.starts = starts
  }

  /// Each pair `(i, j)`, `i < j`, of hashes within `maxDistance` bits, where `include` says yes to both.
  func pairs(within maxDistance: Int, include: @Sendable (Int) -> Bool) -> [(Int, Int)] {
    let radius = maxDistance / 4
    let flips = Self.flips(radius: radius)
    let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, hashes.count / 4_096 + 1))
    var found = [[(Int, Int)]](repeating: [], count: lanes)
    found.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        var near: [(Int, Int)] = []
        var seen = Set<Int32>()
        var index = lane
        while index < hashes.count {
          defer { index += lanes }
          guard include(index) else { continue }
          let hash = hashes[index]
          seen.removeAll(keepingCapacity: true)
          for chunk in 0..<4 {
            let own = Self.value(of: hash, chunk: chunk)
            for flip in flips {
              let value = Int(own ^ flip)
              for position in Int(starts[chunk][value])..<Int(starts[chunk][value + 1]) {
                let other = order[chunk][position]
                guard Int(other) > index, seen.insert(other).inserted else { continue }
                if (hashes[Int(other)] ^ hash).nonzeroBitCount <= maxDistance && include(Int(other)) {
                  near.append((index, Int(other)))
                }
              }
            }
          }
        }
        buffer[lane] = near
      }
    }
    return found.flatMap { $0 }
  }

  private static func value(of hash: UInt64, chunk: Int) -> UInt16 {
    UInt16(truncatingIfNeeded: hash >> UInt64(48 - 16 * chunk))
  }

  /// Every 16-bit mask with at most `radius` bits set.
  private static func flips(radius: Int) -> [UInt16] {
    (0...UInt16.max).filter { $0.nonzeroBitCount <= radius }
  }
}
