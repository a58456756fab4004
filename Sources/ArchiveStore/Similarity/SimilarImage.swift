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
}
