import Foundation

/// 64-bit perceptual hashes, computed as ImageHash (PyPI `imagehash`) computes them, bit order included (the first
/// bit of its array is the most significant), so a value printed in hex compares with its strings.
public enum PerceptualHash {
  /// The edge of the grey sample kept of each picture to hash from: finer than either hash's input, and small
  /// enough to tile a grid's from its quadrants'.
  public static let sampleEdge = 64

  /// The difference hash: the picture at 9×8, each bit whether a pixel is brighter than the one on its left.
  public static func dHash(_ image: GreyImage) -> UInt64 {
    let small = image.resized(width: 9, height: 8)
    var hash: UInt64 = 0
    for y in 0..<8 {
      for x in 0..<8 {
        hash = hash << 1 | (small.pixels[y * 9 + x + 1] > small.pixels[y * 9 + x] ? 1 : 0)
      }
    }
    return hash
  }

  /// The DCT hash: the picture at 32×32, its two-dimensional DCT-II, and of its 8×8 lowest frequencies (the
  /// constant term included), each bit whether a coefficient is above their median.
  public static func pHash(_ image: GreyImage) -> UInt64 {
    let small = image.resized(width: 32, height: 32).pixels.map(Double.init)
    // Only the 8 lowest frequencies of each axis are kept, so only they are computed: along x for every row,
    // then along y for those.
    var alongX = [Double](repeating: 0, count: 32 * 8)
    for y in 0..<32 {
      for u in 0..<8 {
        var sum = 0.0
        for x in 0..<32 { sum += small[y * 32 + x] * cosines[u * 32 + x] }
        alongX[y * 8 + u] = sum
      }
    }
    var coefficients = [Double](repeating: 0, count: 64)
    for v in 0..<8 {
      for u in 0..<8 {
        var sum = 0.0
        for y in 0..<32 { sum += alongX[y * 8 + u] * cosines[v * 32 + y] }
        coefficients[v * 8 + u] = sum
      }
    }
    let sorted = coefficients.sorted()
    let median = (sorted[31] + sorted[32]) / 2
    return coefficients.reduce(0) { hash, coefficient in hash << 1 | (coefficient > median ? 1 : 0) }
  }

  /// How many bits two hashes differ in.
  public static func distance(_ first: UInt64, _ second: UInt64) -> Int {
    (first ^ second).nonzeroBitCount
  }

  /// `cos(π k (2n + 1) / 64)` for k < 8, n < 32: DCT-II's basis at 32 points (its scale does not change a median
  /// test).
  private static let cosines: [Double] = (0..<8).flatMap { k in
    (0..<32).map { n in cos(Double.pi * Double(k) * Double(2 * n + 1) / 64) }
  }
}
