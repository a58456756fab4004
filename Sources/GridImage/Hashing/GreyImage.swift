/// A small grey picture (luma 0–255, row by row): what perceptual hashes are computed from.
public struct GreyImage: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Row-major luma values.
  public let pixels: [Float]

  /// - Precondition: `pixels.count == width * height`, both at least 1.
  public init(width: Int, height: Int, pixels: [Float]) {
    precondition(width >= 1 && height >= 1 && pixels.count == width * height, "a grey image needs its pixels")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The luma of 8-bit RGB or RGBA pixels, `channels` bytes each, as PIL's "L" (ITU-R 601-2: 0.299 R + 0.587 G +
  /// 0.114 B); alpha is ignored, as PIL ignores it.
  public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) {
    var pixels: [Float] = []
    pixels.reserveCapacity(width * height)
    Self.appendLuma(of: bytes.prefix(width * height * channels), channels: channels, to: &pixels)
    self.init(width: width, height: height, pixels: pixels)
  }

  /// Appends the luma of each pixel of `bytes` (8-bit RGB or RGBA, `channels` bytes each) to `luma`.
  static func appendLuma(of bytes: some Collection<UInt8>, channels: Int, to luma: inout [Float]) {
    var index = bytes.startIndex
    while bytes.distance(from: index, to: bytes.endIndex) >= channels {
      let red = Float(bytes[index])
      let green = Float(bytes[bytes.index(index, offsetBy: 1)])
      let blue = Float(bytes[bytes.index(index, offsetBy: 2)])
      luma.append(0.299 * red + 0.587 * green + 0.114 * blue)
      index = bytes.index(index, offsetBy: channels)
    }
  }

  /// This picture area-averaged to `width` × `height`: each new pixel is the mean of the part of the picture it
  /// covers, partly covered pixels weighted by how much of them it covers (so it also enlarges, blockily).
  public func resized(width newWidth: Int, height newHeight: Int) -> GreyImage {
    let across = Self.weights(from: width, to: newWidth)
    let down = Self.weights(from: height, to: newHeight)
    // Rows first: every source row squeezed to the new width, then the columns of that to the new height.
    var narrow = [Float](repeating: 0, count: newWidth * height)
    for y in 0..<height {
      for (x, spans) in across.enumerated() {
        var sum: Float = 0
        for (source, weight) in spans { sum += pixels[y * width + source] * weight }
        narrow[y * newWidth + x] = sum
      }
    }
    var result = [Float](repeating: 0, count: newWidth * newHeight)
    for (y, spans) in down.enumerated() {
      for x in 0..<newWidth {
        var sum: Float = 0
        for (source, weight) in spans { sum += narrow[source * newWidth + x] * weight }
        result[y * newWidth + x] = sum
      }
    }
    return GreyImage(width: newWidth, height: newHeight, pixels: result)
  }

  /// Four pictures of one size tiled 2×2, as a grid's sample from its quadrants' samples.
  ///
  /// In Midjourney's order: 1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right. Nil unless there are four of
  /// one size.
  public static func grid(_ quadrants: [GreyImage]) -> GreyImage? {
    guard quadrants.count == 4, let first = quadrants.first,
      quadrants.allSatisfy({ $0.width == first.width && $0.height == first.height })
    else { return nil }
    let (width, height) = (first.width, first.height)
    var pixels = [Float](repeating: 0, count: 4 * width * height)
    for (index, quadrant) in quadrants.enumerated() {
      let (left, top) = (index % 2 * width, index / 2 * height)
      for y in 0..<height {
        for x in 0..<width { pixels[(top + y) * 2 * width + left + x] = quadrant.pixels[y * width + x] }
      }
    }
    return GreyImage(width: 2 * width, height: 2 * height, pixels: pixels)
  }

  /// For each of `count` new positions, the old positions it covers and their weights (summing to 1).
  private static func weights(from size: Int, to count: Int) -> [[(Int, Float)]] {
    let scale = Double(size) / Double(count)
    return (0..<count).map { index in
      let start = Double(index) * scale
      let end = Double(index + 1) * scale
      var spans: [(Int, Float)] = []
      var position = Int(start)
      while Double(position) < end, position < size {
        let covered = min(end, Double(position + 1)) - max(start, Double(position))
        if covered > 0 { spans.append((position, Float(covered / scale))) }
        position += 1
      }
      return spans
    }
  }
}
