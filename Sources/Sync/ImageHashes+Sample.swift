import ArchiveStore
import GridImage

extension ImageHashes {
  /// Both perceptual hashes of a picture's grey sample.
  public init(sample: GreyImage) {
    self.init(dHash: PerceptualHash.dHash(sample), pHash: PerceptualHash.pHash(sample))
  }
}
