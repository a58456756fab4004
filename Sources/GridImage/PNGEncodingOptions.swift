/// How hard and how to compress.
///
/// The default — libpng choosing per row between the Sub and Average filters, zlib's RLE strategy,
/// memLevel 9 — was measured on noisy grids (bench/RESULTS.md): 40% less encode time than trying
/// all five filters, the same bytes, and smaller than ImageMagick's output at a fifth of its time.
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

  /// zlib memLevel 1–9: more memory for longer Huffman blocks (9 saves ~0.15% on grids).
  public var memoryLevel: Int32

  /// libpng's mask for the Sub and Average filters.
  public static let subAndAverageFilters: Int32 = 0x10 | 0x40

  public init(
    compressionLevel: Int32 = 6, strategy: Strategy = .rle, filterMask: Int32 = subAndAverageFilters,
    memoryLevel: Int32 = 9
  ) {
    self.compressionLevel = min(9, max(0, compressionLevel))
    self.strategy = strategy
    self.filterMask = filterMask
    self.memoryLevel = min(9, max(1, memoryLevel))
  }

  /// Sub or Average per row, zlib RLE, memLevel 9.
  public static let standard = PNGEncodingOptions()
}
