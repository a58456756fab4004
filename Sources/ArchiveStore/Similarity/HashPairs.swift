import Foundation

/// Every pair of hashes within a distance, found by multi-index hashing instead of comparing all pairs.
///
/// The 64 bits are cut into `m` chunks. Two hashes within `d` bits differ in at most `d / m` bits in at least one
/// chunk (pigeonhole), so each hash only meets those whose value in some chunk is within `d / m` bits of its own:
/// a lookup of each such value in that chunk's table, whose hashes lie side by side in memory. A pair is taken
/// from the first chunk that finds it (so no set of pairs seen is kept) and checked on all 64 bits. `m` is chosen
/// by cost: meeting a run of hashes lands at random in memory, comparing within it reads in sequence.
struct HashPairs {
  private let hashes: [UInt64]
  private let maxDistance: Int
  /// Each chunk's shift and bit width, highest bits first.
  private let shifts: [Int]
  private let widths: [Int]
  /// For each chunk: where each value's run starts, and the hashes (and their indices) sorted by that value.
  private let starts: [[Int32]]
  private let sortedHashes: [[UInt64]]
  private let sortedIndices: [[Int32]]
  /// Chunk values a lane takes at a time.
  private static let valuesABlock = 256

  init(_ hashes: [UInt64], maxDistance: Int) {
    self.hashes = hashes
    self.maxDistance = maxDistance
    let widths = Self.bestWidths(count: hashes.count, maxDistance: maxDistance)
    self.widths = widths
    shifts = widths.indices.map { 64 - widths[0...$0].reduce(0, +) }
    var starts: [[Int32]] = []
    var sortedHashes: [[UInt64]] = []
    var sortedIndices: [[Int32]] = []
    for chunk in widths.indices {
      let (shift, mask) = (UInt64(shifts[chunk]), (UInt64(1) << UInt64(widths[chunk])) - 1)
      var counts = [Int32](repeating: 0, count: (1 << widths[chunk]) + 1)
      for hash in hashes { counts[Int((hash >> shift) & mask) + 1] += 1 }
      for value in 0..<(1 << widths[chunk]) { counts[value + 1] += counts[value] }
      var next = counts
      var byValue = [UInt64](repeating: 0, count: hashes.count)
      var indices = [Int32](repeating: 0, count: hashes.count)
      for (index, hash) in hashes.enumerated() {
        let value = Int((hash >> shift) & mask)
        byValue[Int(next[value])] = hash
        indices[Int(next[value])] = Int32(index)
        next[value] += 1
      }
      starts.append(counts)
      sortedHashes.append(byValue)
      sortedIndices.append(indices)
    }
    self.starts = starts
    self.sortedHashes = sortedHashes
    self.sortedIndices = sortedIndices
  }

  /// Each pair `(i, j)`, `i < j`, of hashes within the distance, where `include` says yes to both.
  ///
  /// Bucket against bucket: for each chunk value and each value within the radius of it, the two runs of hashes
  /// are compared with each other, so one random read of memory serves every hash of a run, not one.
  func pairs(include: @Sendable (Int) -> Bool) -> [(Int, Int)] {
    let radius = maxDistance / widths.count
    let chunkMasks = zip(shifts, widths).map { shift, width in ((UInt64(1) << UInt64(width)) - 1) << UInt64(shift) }
    let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, hashes.count / 4_096 + 1))
    var found = [[(Int, Int)]](repeating: [], count: lanes)
    found.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        var near: [(Int, Int)] = []
        for chunk in widths.indices {
          let flips = Self.masks(width: widths[chunk], radius: radius).map(Int.init)
          // A pair also near in an earlier chunk was found there.
          let earlier = chunkMasks[..<chunk]
          starts[chunk].withUnsafeBufferPointer { starts in
            sortedHashes[chunk].withUnsafeBufferPointer { candidates in
              sortedIndices[chunk].withUnsafeBufferPointer { indices in
                // Values dealt out to the lanes in blocks, so the crowded and the empty ones share the work.
                var block = lane
                while block * Self.valuesABlock < starts.count - 1 {
                  defer { block += lanes }
                  for value in (block * Self.valuesABlock)..<min(starts.count - 1, (block + 1) * Self.valuesABlock) {
                    let own = Int(starts[value])..<Int(starts[value + 1])
                    guard !own.isEmpty else { continue }
                    for flip in flips {
                      let other = value ^ flip
                      // Each pair of runs once: from the lower value, or within the run itself.
                      guard other >= value else { continue }
                      let others = Int(starts[other])..<Int(starts[other + 1])
                      for first in own {
                        let hash = candidates[first]
                        for second in (flip == 0 ? first + 1 : others.lowerBound)..<others.upperBound {
                          let difference = candidates[second] ^ hash
                          guard difference.nonzeroBitCount <= maxDistance else { continue }
                          if earlier.contains(where: { (difference & $0).nonzeroBitCount <= radius }) { continue }
                          let (a, b) = (Int(indices[first]), Int(indices[second]))
                          if include(a) && include(b) { near.append((min(a, b), max(a, b))) }
                        }
                      }
                    }
                  }
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

  /// Every `width`-bit mask with at most `radius` bits set.
  private static func masks(width: Int, radius: Int) -> [UInt32] {
    var masks: [UInt32] = [0]
    var layer: [(mask: UInt32, next: Int)] = [(0, 0)]
    for _ in 0..<min(radius, width) {
      layer = layer.flatMap { item in (item.next..<width).map { bit in (item.mask | 1 << UInt32(bit), bit + 1) } }
      masks += layer.map(\.mask)
    }
    return masks
  }

  /// Chunk widths (2 to 11 chunks, as even as can be, at most 24 bits) with the least work estimated for `count`
  /// hashes: each pair of runs met costs a random read of memory (about fifty times comparing two hashes), each
  /// hash compared with a run's costs one, and the tables take their size.
  private static func bestWidths(count: Int, maxDistance: Int) -> [Int] {
    (2...11).map { chunks -> [Int] in
      (0..<chunks).map { 64 / chunks + ($0 < 64 % chunks ? 1 : 0) }
    }.filter { $0.allSatisfy { $0 <= 24 } }.min { first, second in
      cost(first, count: count, maxDistance: maxDistance) < cost(second, count: count, maxDistance: maxDistance)
    } ?? [16, 16, 16, 16]
  }

  private static func cost(_ widths: [Int], count: Int, maxDistance: Int) -> Double {
    let radius = maxDistance / widths.count
    return widths.reduce(0.0) { total, width in
      let flips = Double(combinations(width, upTo: radius))
      let runs = Double(min(count, 1 << width))
      let perValue = Double(count) / Double(1 << width)
      return total + runs * flips * 50 + Double(count) * flips * perValue / 2 + 4 * Double(1 << width)
    }
  }

  /// How many `width`-bit masks have at most `radius` bits set.
  private static func combinations(_ width: Int, upTo radius: Int) -> Int {
    var total = 0
    var term = 1
    for bits in 0...min(radius, width) {
      total += term
      term = term * (width - bits) / (bits + 1)
    }
    return total
  }
}
