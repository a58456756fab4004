import Foundation

/// Makes gallery thumbnails.
///
/// An area-averaging (box) downscale, streamed row by row, so fine patterns turn into their average colour instead
/// of aliasing. Colours are weighted by alpha.
public struct Thumbnailer: Sendable {
  public var options: PNGEncodingOptions
  public var limits: PNGLimits
  /// False for thumbnails that can be made again (a gallery's): written without fsync.
  public var durable: Bool

  public init(options: PNGEncodingOptions = .standard, limits: PNGLimits = .standard, durable: Bool = true) {
    self.options = options
    self.limits = limits
    self.durable = durable
  }

  /// The thumbnail size for an image: the longer edge becomes `maxEdge`, never enlarged.
  public static func size(width: Int, height: Int, maxEdge: Int) -> (width: Int, height: Int) {
    let longest = max(width, height)
    guard longest > maxEdge else { return (width, height) }
    let scale = Double(maxEdge) / Double(longest)
    return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
  }

  /// Writes an 8-bit RGB(A) thumbnail of `source` to `destination` (atomically).
  ///
  /// - Returns: The thumbnail's size.
  /// - Throws: `GridImageError` naming the problem; nothing is left at `destination` on error.
  @discardableResult
  public func thumbnail(of source: String, maxEdge: Int, to destination: URL) throws(GridImageError) -> (
    width: Int, height: Int
  ) {
    let made = try make(of: source, maxEdge: maxEdge, to: destination, sampling: false)
    return (made.width, made.height)
  }

  /// Writes a thumbnail as `thumbnail(of:maxEdge:to:)` does, and returns with its size a grey sample of it
  /// (`PerceptualHash.sampleEdge` square) to hash: its pixels are at hand, so hashing costs no second decode.
  public func sampledThumbnail(of source: String, maxEdge: Int, to destination: URL) throws(GridImageError) -> (
    width: Int, height: Int, sample: GreyImage
  ) {
    let made = try make(of: source, maxEdge: maxEdge, to: destination, sampling: true)
    return (made.width, made.height, Self.sample(GreyImage(width: made.width, height: made.height, pixels: made.luma)))
  }

  /// Writes the thumbnail, and with `sampling` returns its luma too (a gallery's thumbnails need none: it was 2% of
  /// making one).
  private func make(of source: String, maxEdge: Int, to destination: URL, sampling: Bool) throws(GridImageError)
    -> (width: Int, height: Int, luma: [Float])
  {
    guard maxEdge >= 1 else { throw GridImageError.invalidPixels("a thumbnail edge must be at least 1") }
    let reader = try PNGReader(path: source, limits: limits, normalized: true)
    let (width, height) = Self.size(width: reader.width, height: reader.height, maxEdge: maxEdge)
    let output = AtomicOutput(destination)
    do throws(GridImageError) {
      let writer = try PNGWriter(
        path: output.temporary.path, width: width, height: height, colorType: reader.colorType, options: options)
      var luma: [Float] = []
      if sampling { luma.reserveCapacity(width * height) }
      try Self.downscale(reader, width: width, height: height) { row throws(GridImageError) in
        try writer.writeRows(row, count: 1)
        if sampling { GreyImage.appendLuma(of: row, channels: reader.colorType.channels, to: &luma) }
      }
      try writer.finishFile(durable: durable)
      try output.commit()
      return (width, height, luma)
    } catch {
      output.discard()
      throw error
    }
  }

  /// A grey sample of a PNG as `sampledThumbnail` makes, with the picture decoded and shrunk as for a 256-pixel
  /// thumbnail but written nowhere: for a picture from outside the archive.
  public func sample(of source: String) throws(GridImageError) -> GreyImage {
    let reader = try PNGReader(path: source, limits: limits, normalized: true)
    let (width, height) = Self.size(width: reader.width, height: reader.height, maxEdge: 256)
    var luma: [Float] = []
    luma.reserveCapacity(width * height)
    try Self.downscale(reader, width: width, height: height) { row throws(GridImageError) in
      GreyImage.appendLuma(of: row, channels: reader.colorType.channels, to: &luma)
    }
    return Self.sample(GreyImage(width: width, height: height, pixels: luma))
  }

  private static func sample(_ image: GreyImage) -> GreyImage {
    image.resized(width: PerceptualHash.sampleEdge, height: PerceptualHash.sampleEdge)
  }

  /// Decodes `reader`'s picture and hands each row of it area-averaged to `width` × `height` to `body`, top first.
  private static func downscale(
    _ reader: PNGReader, width: Int, height: Int, _ body: ([UInt8]) throws(GridImageError) -> Void
  ) throws(GridImageError) {
    let channels = reader.colorType.channels
    // Source column and row ranges that fall into each thumbnail pixel.
    let columns = (0...width).map { $0 * reader.width / width }
    let rows = (0...height).map { $0 * reader.height / height }
    let image = reader.isInterlaced ? try reader.readImage() : nil
    var sourceRow = [UInt8](repeating: 0, count: reader.rowBytes)
    var sums = [UInt64](repeating: 0, count: width * 4)
    var outputRow = [UInt8](repeating: 0, count: width * channels)
    for y in 0..<height {
      sums.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      let rowCount = rows[y + 1] - rows[y]
      for sourceY in rows[y]..<rows[y + 1] {
        if let image {
          sourceRow.withUnsafeMutableBytes { target in
            image.withUnsafeBytes { whole in
              target.copyMemory(
                from: UnsafeRawBufferPointer(
                  rebasing: whole[(sourceY * reader.rowBytes)..<((sourceY + 1) * reader.rowBytes)]))
            }
          }
        } else {
          var failure: GridImageError?
          sourceRow.withUnsafeMutableBytes { buffer in
            do throws(GridImageError) {
              try reader.readRows(into: buffer, count: 1, stride: reader.rowBytes)
            } catch {
              failure = error
            }
          }
          if let failure { throw failure }
        }
        accumulate(sourceRow, channels: channels, columns: columns, into: &sums)
      }
      for x in 0..<width {
        let count = UInt64(max(1, (columns[x + 1] - columns[x]) * rowCount))
        let alpha = channels == 4 ? sums[x * 4 + 3] : count * 255
        for channel in 0..<3 {
          // Colours were summed weighted by alpha; divide by the alpha total (or plain count when opaque).
          let value = alpha == 0 ? 0 : (sums[x * 4 + channel] + alpha / 2) / alpha
          outputRow[x * channels + channel] = UInt8(min(255, value))
        }
        if channels == 4 { outputRow[x * 4 + 3] = UInt8((alpha + count / 2) / count) }
      }
      try body(outputRow)
    }
  }

  /// Adds one source row into the per-thumbnail-pixel sums (colour × alpha, and alpha), through unsafe pointers:
  /// this loop touches every source pixel, and bounds checks doubled its time.
  private static func accumulate(_ row: [UInt8], channels: Int, columns: [Int], into sums: inout [UInt64]) {
    let width = columns.count - 1
    row.withUnsafeBufferPointer { pixels in
      columns.withUnsafeBufferPointer { columns in
        sums.withUnsafeMutableBufferPointer { sums in
          guard let pixels = pixels.baseAddress, let columns = columns.baseAddress, let sums = sums.baseAddress else {
            return
          }
          for x in 0..<width {
            var red: UInt64 = 0
            var green: UInt64 = 0
            var blue: UInt64 = 0
            var alphaSum: UInt64 = 0
            var pixel = pixels + columns[x] * channels
            if channels == 4 {
              for _ in columns[x]..<columns[x + 1] {
                let alpha = UInt64(pixel[3])
                red &+= UInt64(pixel[0]) &* alpha
                green &+= UInt64(pixel[1]) &* alpha
                blue &+= UInt64(pixel[2]) &* alpha
                alphaSum &+= alpha
                pixel += 4
              }
            } else {
              for _ in columns[x]..<columns[x + 1] {
                red &+= UInt64(pixel[0])
                green &+= UInt64(pixel[1])
                blue &+= UInt64(pixel[2])
                alphaSum &+= 1
                pixel += channels
              }
              // Opaque: weight 255 each, as the alpha path would.
              red &*= 255
              green &*= 255
              blue &*= 255
              alphaSum &*= 255
            }
            sums[x * 4] &+= red
            sums[x * 4 + 1] &+= green
            sums[x * 4 + 2] &+= blue
            sums[x * 4 + 3] &+= alphaSum
          }
        }
      }
    }
  }
}
