/// How hard and how to compress.
///
/// The default, the Average filter on every row with zlib's RLE strategy, was measured on noisy
/// 2048² grids (bench/RESULTS.md): encoding takes half the time of adaptive filtering (which tries
/// all five filters per row) for 0.1% more bytes, and ~4× less than libpng's defaults.
public struct PNGEncodingOptions: Sendable, Equatable {
  /// zlib strategy.
  public enum Strategy: Int32, Sendable {
    case `default` = 0
    case filtered = 1
    case huffmanOnly = 2
    case rle = 3
  }

  /// zlib level 0–9.
  public var compressionLevel: Int32
  public var strategy: Strategy
  /// libpng filter mask (0x08 none, 0x10 sub, 0x20 up, 0x40 average, 0x80 Paeth, 0xF8 all); 0 leaves the choice to libpng.
  public var filterMask: Int32

  /// libpng's mask for the Average filter alone.
  public static let averageFilter: Int32 = 0x40

  public init(compressionLevel: Int32 = 6, strategy: Strategy = .rle, filterMask: Int32 = averageFilter) {
    self.compressionLevel = min(9, max(0, compressionLevel))
    self.strategy = strategy
    self.filterMask = filterMask
  }

  /// Average filter, zlib RLE.
  public static let standard = PNGEncodingOptions()
}
