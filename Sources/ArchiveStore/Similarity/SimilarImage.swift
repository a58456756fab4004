/// A picture found near another, with its distance by each hash.
public struct SimilarImage: Sendable, Equatable {
  public var image: HashedImage
  /// Bits the DCT hashes differ in.
  public var pHashDistance: Int
  /// Bits the difference hashes differ in.
  public var dHashDistance: Int

  public init(image: HashedImage, pHashDistance: Int, dHashDistance: Int) {
    self.image = image
    self.pHashDistance = pHashDistance
    self.dHashDistance = dHashDistance
  }

  /// The distance `algorithm` ranks by.
  public func distance(by algorithm: HashAlgorithm) -> Int {
    switch algorithm {
    case .phash: return pHashDistance
    case .dhash: return dHashDistance
    case .both: return max(pHashDistance, dHashDistance)
    }
  }

  /// True when this picture ranks before `other` by `algorithm`: the nearer first, ties by the sum of both
  /// distances, then by name.
  public func isNearer(than other: SimilarImage, by algorithm: HashAlgorithm) -> Bool {
    let (a, b) = (distance(by: algorithm), other.distance(by: algorithm))
    if a != b { return a < b }
    let (c, d) = (pHashDistance + dHashDistance, other.pHashDistance + other.dHashDistance)
    return c != d ? c < d : image.name < other.image.name
  }
}
