import Foundation

/// Every hashed picture, its hashes packed in two arrays and searched by XOR and popcount over all of them,
/// split across the cores when there are many.
///
/// A scan, not a tree: at the distances that matter (8–16 bits of 64) a BK-tree visits most of its nodes anyway,
/// and a scan of packed 64-bit words is a few nanoseconds an image.
public struct HashIndex: Sendable {
  public let images: [HashedImage]
  private let pHashes: [UInt64]
  private let dHashes: [UInt64]
  /// `similar`'s default distance, also the gallery's: chosen by the evaluation in `bench/RESULTS.md` (at 10 bits
  /// by both hashes, every true pair found and the fewest false ones).
  public static let similarDistance = 10
  /// `similar`'s default hash, also the gallery's (same evaluation).
  public static let similarAlgorithm = HashAlgorithm.both
  /// `duplicates`' default distance: near-identical pictures only.
  public static let duplicateDistance = 6
  /// `duplicates`' default hash: at 6 bits both hashes find what pHash alone finds.
  public static let duplicateAlgorithm = HashAlgorithm.phash
  /// Pictures scanned per lane: below this, one core is quicker than waking others.
  private static let lane = 65_536

  public init(_ images: [HashedImage]) {
    self.images = images
    pHashes = images.map(\.hashes.pHash)
    dHashes = images.map(\.hashes.dHash)
  }

  /// The pictures within `maxDistance` of `query` by `algorithm`, nearest first, at most `limit` of them.
  ///
  /// A flat picture's hash (nearly all bits alike) is never returned, and never searched for: it would be near
  /// every other flat picture.
  ///
  /// - Parameter skip: Pictures (by index in `images`) left out, such as the query's own family.
  public func nearest(
    to query: ImageHashes, by algorithm: HashAlgorithm, maxDistance: Int, limit: Int,
    skip: @Sendable (Int) -> Bool = { _ in false }
  ) -> [SimilarImage] {
    let usesP = algorithm != .dhash
    let usesD = algorithm != .phash
    guard !(usesP && Self.isFlat(query.pHash)), !(usesD && Self.isFlat(query.dHash)), limit > 0 else { return [] }
    let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (images.count + Self.lane - 1) / Self.lane))
    let chunk = (images.count + lanes - 1) / lanes
    var found = [[Int]](repeating: [], count: lanes)
    found.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        var near: [Int] = []
        pHashes.withUnsafeBufferPointer { pHashes in
          dHashes.withUnsafeBufferPointer { dHashes in
            for index in (lane * chunk)..<min(images.count, (lane + 1) * chunk) {
              if usesP && (pHashes[index] ^ query.pHash).nonzeroBitCount > maxDistance { continue }
              if usesD && (dHashes[index] ^ query.dHash).nonzeroBitCount > maxDistance { continue }
              near.append(index)
            }
          }
        }
        buffer[lane] = near
      }
    }
    let matches = found.joined().filter { index in
      !(usesP && Self.isFlat(pHashes[index])) && !(usesD && Self.isFlat(dHashes[index])) && !skip(index)
    }.map { index in
      SimilarImage(
        image: images[index], pHashDistance: (pHashes[index] ^ query.pHash).nonzeroBitCount,
        dHashDistance: (dHashes[index] ^ query.dHash).nonzeroBitCount)
    }
    return Array(matches.sorted { $0.isNearer(than: $1, by: algorithm) }.prefix(limit))
  }

  /// True for a flat picture's hash (or a plain gradient's): nearly every bit alike.
  static func isFlat(_ hash: UInt64) -> Bool {
    let ones = hash.nonzeroBitCount
    return ones <= 2 || ones >= 62
  }
}
