/// The perceptual hashes of one picture (see `GridImage.PerceptualHash`), as the archive keeps them.
public struct ImageHashes: Sendable, Equatable, Hashable {
  /// The difference hash (9×8 gradients).
  public var dHash: UInt64
  /// The DCT hash (8×8 lowest frequencies of a 32×32 DCT).
  public var pHash: UInt64

  public init(dHash: UInt64, pHash: UInt64) {
    self.dHash = dHash
    self.pHash = pHash
  }

  /// `image_hashes.algorithm` of each: the method and its size in bits.
  static let dHashName = "dhash-64"
  static let pHashName = "phash-64"
}
