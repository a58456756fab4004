/// What became of an original as a grid: the `images.split` column of its row.
public enum SplitState: Int, Sendable, Equatable {
  /// Not split: not yet, or not a grid (a single image is done once it has its thumbnails).
  case notSplit = 0
  /// Its four quadrants are made.
  case split = 1
  /// Kept as it is: WEBP and JPEG are not decoded.
  case notDecoded = 2
  /// The split failed for good (the PNG decoder refused the picture; builds before 0.1.0 also wrote it when a
  /// split failed for a passing reason). The original is kept; `verify` reports it and `--repair` tries again.
  case failed = 3

  /// The state a stored value means; a value no build wrote reads as not split, so it is tried again.
  public init(stored: Int) {
    self = SplitState(rawValue: stored) ?? .notSplit
  }
}
