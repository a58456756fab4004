/// Which perceptual hash decides how near two pictures are.
public enum HashAlgorithm: String, Sendable, CaseIterable {
  /// The DCT hash alone.
  case phash
  /// The difference hash alone.
  case dhash
  /// Both: a picture is as far as the farther of its two distances.
  case both
}
