import CPNGShim
import Foundation

/// Reads a PNG row by row with libpng, keeping its color type and bit depth (sub-byte samples are
/// handed out one per byte).
public final class PNGReader {
  public let path: String
  private let limits: PNGLimits
  public let width: Int
  public let height: Int
  public let colorType: PNGColorType
  /// 8 or 16: the depth of the samples as handed out.
  public let bitDepth: Int
  /// The file's own depth: 1, 2, 4, 8 or 16.
  public let sourceBitDepth: Int
  public let isInterlaced: Bool
  /// Bytes in one row as handed out.
  public let rowBytes: Int
  let handle: OpaquePointer

  /// Bytes per pixel as handed out.
  public var bytesPerPixel: Int { colorType.channels * (bitDepth / 8) }

  /// Opens a PNG and reads its header and the chunks before the image data.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - limits: Refuse images beyond these.
  ///   - normalized: Hand rows out as 8-bit RGB or RGBA whatever the file holds.
  /// - Throws: `GridImageError.notPNG` (with what the file looks like instead), `.tooLarge`, or `.decodingFailed`.
  public init(path: String, limits: PNGLimits = .standard, normalized: Bool = false) throws(GridImageError) {
    self.path = path
    let head: Data
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      head = try handle.read(upToCount: 64) ?? Data()
      try? handle.close()
    } catch {
      throw GridImageError.cannotRead(path: path)
    }
    if let kind = FileKind.describe(head), kind != "PNG" {
      throw GridImageError.notPNG(path: path, looksLike: kind)
    }
    // Check the size IHDR claims before libpng allocates anything for it.
    let bytes = [UInt8](head)
    if bytes.count >= 24, bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] {
      let claimedWidth = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
      let claimedHeight = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
      if claimedWidth > limits.maximumWidth || claimedHeight > limits.maximumHeight
        || claimedWidth * claimedHeight > limits.maximumPixels
      {
        throw GridImageError.tooLarge(
          path: path,
          reason:
            "\(claimedWidth)×\(claimedHeight) is beyond the limit of \(limits.maximumWidth)×\(limits.maximumHeight), \(limits.maximumPixels) pixels"
        )
      }
    }
    try PNGChunkCheck.verify(path: path, limits: limits)
    guard let handle = cpng_reader_open_file(path) else {
      throw GridImageError.decodingFailed(path: path, reason: "out of memory")
    }
    var cLimits = cpng_limits(
      max_width: UInt32(clamping: limits.maximumWidth), max_height: UInt32(clamping: limits.maximumHeight),
      max_pixels: UInt64(clamping: limits.maximumPixels), max_chunk_bytes: limits.maximumChunkBytes)
    var info = cpng_info()
    let status = cpng_reader_read_info(handle, &cLimits, normalized ? 1 : 0, &info)
    guard status == Int32(CPNG_OK), let colorType = PNGColorType(code: info.color_type) else {
      let message = String(cString: cpng_reader_error(handle))
      cpng_reader_destroy(handle)
      if message.contains("limit") || message.contains("exceeds") || message.contains("too large") {
        throw GridImageError.tooLarge(path: path, reason: message)
      }
      throw GridImageError.decodingFailed(path: path, reason: message.isEmpty ? "unknown color type" : message)
    }
    self.handle = handle
    self.limits = limits
    self.width = Int(info.width)
    self.height = Int(info.height)
    self.colorType = colorType
    self.bitDepth = Int(info.bit_depth)
    self.sourceBitDepth = Int(info.source_bit_depth)
    self.isInterlaced = info.interlaced != 0
    self.rowBytes = info.row_bytes
  }

  deinit {
    cpng_reader_destroy(handle)
  }

  /// Reads the next `count` rows into `buffer`, `stride` bytes apart (not for interlaced files).
  public func readRows(into buffer: UnsafeMutableRawBufferPointer, count: Int, stride: Int) throws(GridImageError) {
    guard !isInterlaced, stride >= rowBytes, count >= 0, count == 0 || buffer.count >= (count - 1) * stride + rowBytes,
      let base = buffer.baseAddress
    else {
      throw GridImageError.invalidPixels("row buffer too small")
    }
    guard
      cpng_reader_read_rows(handle, base.assumingMemoryBound(to: UInt8.self), UInt32(count), stride) == Int32(CPNG_OK)
    else {
      throw GridImageError.decodingFailed(path: path, reason: String(cString: cpng_reader_error(handle)))
    }
  }

  /// Reads the whole image, `rowBytes` per row (the way to read an interlaced file).
  ///
  /// - Throws: `GridImageError.tooLarge` for an interlaced image beyond `PNGLimits.maximumInterlacedBytes` decoded.
  public func readImage() throws(GridImageError) -> [UInt8] {
    let bytes = rowBytes * height
    if isInterlaced && bytes > limits.maximumInterlacedBytes {
      throw GridImageError.tooLarge(
        path: path,
        reason:
          "an interlaced \(width)×\(height) image is decoded whole, "
          + "\(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .memory)), beyond "
          + ByteCountFormatter.string(fromByteCount: Int64(limits.maximumInterlacedBytes), countStyle: .memory))
    }
    var pixels = [UInt8](repeating: 0, count: rowBytes * height)
    let status = pixels.withUnsafeMutableBytes { buffer in
      cpng_reader_read_image(handle, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), rowBytes)
    }
    guard status == Int32(CPNG_OK) else {
      throw GridImageError.decodingFailed(path: path, reason: String(cString: cpng_reader_error(handle)))
    }
    return pixels
  }

  /// The text chunks read so far (those before the image data).
  public var textChunks: [PNGTextChunk] {
    (0..<cpng_reader_text_count(handle)).compactMap { index in
      var key: UnsafePointer<CChar>?
      var text: UnsafePointer<CChar>?
      var international: Int32 = 0
      guard cpng_reader_text(handle, index, &key, &text, &international) == Int32(CPNG_OK), let key, let text else {
        return nil
      }
      let bytes = Data(bytes: text, count: strlen(text))
      let value =
        international != 0 ? String(decoding: bytes, as: UTF8.self) : String(data: bytes, encoding: .isoLatin1) ?? ""
      return PNGTextChunk(key: String(cString: key), text: value)
    }
  }
}
