/// Refusals against PNG bombs: a tiny file that claims a huge image, or chunks that inflate without end.
public struct PNGLimits: Sendable, Equatable {
  public var maximumWidth: Int
  public var maximumHeight: Int
  public var maximumPixels: Int
  /// Largest chunk held in memory after decompression (iCCP, zTXt, iTXt…).
  public var maximumChunkBytes: Int
  /// Most bytes an interlaced image may take decoded.
  ///
  /// It is decoded whole (rows of a non-interlaced one are streamed), so a 778 KB file of a 10000² 16-bit RGBA
  /// image took 826 MB. 160 MiB holds 4096² at 16-bit RGBA.
  public var maximumInterlacedBytes: Int

  public init(
    maximumWidth: Int = 16_384, maximumHeight: Int = 16_384, maximumPixels: Int = 100_000_000,
    maximumChunkBytes: Int = 8 << 20, maximumInterlacedBytes: Int = 160 << 20
  ) {
    self.maximumWidth = maximumWidth
    self.maximumHeight = maximumHeight
    self.maximumPixels = maximumPixels
    self.maximumChunkBytes = maximumChunkBytes
    self.maximumInterlacedBytes = maximumInterlacedBytes
  }

  /// Generous for any Midjourney image (up to 8192² after two 2× upscales), far below a bomb.
  public static let standard = PNGLimits()
}
