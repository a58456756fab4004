import CPNGShim
import Foundation
import SafeFiles

/// Encodes a PNG row by row with libpng, into memory or a file, so callers never hold more than the rows they have.
public final class PNGWriter {
  public let width: Int
  public let height: Int
  public let colorType: PNGColorType
  public let bitDepth: Int
  private let handle: OpaquePointer
  /// The file written, for naming a full disk; nil in memory.
  private let path: String?
  private var rowsWritten = 0
  private var finished = false

  /// Bytes in one row as the writer takes it: one byte per sample below 8 bits (it packs them), two at 16.
  public var rowBytes: Int { width * colorType.channels * (bitDepth == 16 ? 2 : 1) }

  /// Starts a PNG in memory; read it with `finishInMemory()`.
  ///
  /// - Throws: `GridImageError` when the header is invalid.
  public convenience init(
    width: Int, height: Int, colorType: PNGColorType = .rgb, bitDepth: Int = 8,
    options: PNGEncodingOptions = .standard, palette: [UInt8] = [], texts: [PNGTextChunk] = []
  ) throws(GridImageError) {
    guard let handle = cpng_writer_create_memory() else { throw GridImageError.encodingFailed("out of memory") }
    try self.init(
      handle: handle, path: nil, width: width, height: height, colorType: colorType, bitDepth: bitDepth,
      options: options, palette: palette, source: nil, texts: texts)
  }

  /// Starts a PNG file at `path` (which must not exist yet) with the color chunks of `source`;
  /// finish it with `finishFile()`.
  ///
  /// - Throws: `GridImageError` when the file cannot be created or the header is invalid.
  public convenience init(
    path: String, width: Int, height: Int, like source: PNGReader, options: PNGEncodingOptions = .standard,
    texts: [PNGTextChunk] = []
  ) throws(GridImageError) {
    let handle = try Self.createFile(path)
    try self.init(
      handle: handle, path: path, width: width, height: height, colorType: source.colorType,
      bitDepth: source.sourceBitDepth, options: options, palette: [], source: source, texts: texts)
  }

  /// Starts a PNG file at `path` (which must not exist yet); finish it with `finishFile()`.
  ///
  /// - Throws: `GridImageError` when the file cannot be created or the header is invalid.
  public convenience init(
    path: String, width: Int, height: Int, colorType: PNGColorType, bitDepth: Int = 8,
    options: PNGEncodingOptions = .standard, texts: [PNGTextChunk] = []
  ) throws(GridImageError) {
    let handle = try Self.createFile(path)
    try self.init(
      handle: handle, path: path, width: width, height: height, colorType: colorType, bitDepth: bitDepth,
      options: options, palette: [], source: nil, texts: texts)
  }

  /// Creates the output file, naming its folder and the reason when it cannot be made.
  private static func createFile(_ path: String) throws(GridImageError) -> OpaquePointer {
    guard let handle = cpng_writer_create_file(path) else { throw GridImageError.encodingFailed("out of memory") }
    let code = cpng_writer_open_errno(handle)
    guard code == 0 else {
      cpng_writer_destroy(handle)
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      throw GridImageError.cannotWrite(
        path: folder, reason: "cannot create a file there (\(String(cString: strerror(code))))")
    }
    return handle
  }

  private init(
    handle: OpaquePointer, path: String?, width: Int, height: Int, colorType: PNGColorType, bitDepth: Int,
    options: PNGEncodingOptions, palette: [UInt8], source: PNGReader?, texts: [PNGTextChunk]
  ) throws(GridImageError) {
    self.handle = handle
    self.path = path
    self.width = width
    self.height = height
    self.colorType = colorType
    self.bitDepth = bitDepth
    // Every stored property is set by now, so on a throw below deinit frees the handle.
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
      throw GridImageError.invalidPixels("size \(width)×\(height) is not a valid PNG size")
    }
    var cOptions = cpng_write_options(
      compression_level: options.compressionLevel, strategy: options.strategy.rawValue, filters: options.filterMask,
      memory_level: options.memoryLevel)
    let status = Self.withTextChunks(texts) { chunks, count in
      palette.withUnsafeBufferPointer { paletteBytes in
        cpng_writer_begin(
          handle, UInt32(width), UInt32(height), Int32(bitDepth), colorType.code, &cOptions,
          paletteBytes.baseAddress, Int32(palette.count / 3), source?.handle, chunks, count)
      }
    }
    guard status == Int32(CPNG_OK) else { throw libpngFailure() }
  }

  deinit {
    cpng_writer_destroy(handle)
  }

  /// Writes the next rows, `rowBytes` each, `stride` bytes apart (one after the other by default).
  ///
  /// - Throws: `GridImageError` when the data is short or libpng fails.
  public func writeRows(_ bytes: UnsafeRawBufferPointer, count: Int, stride: Int? = nil) throws(GridImageError) {
    let stride = stride ?? rowBytes
    guard count >= 0, stride >= rowBytes, count == 0 || bytes.count >= (count - 1) * stride + rowBytes,
      rowsWritten + count <= height, let base = bytes.baseAddress
    else {
      throw GridImageError.invalidPixels("expected rows of \(rowBytes) bytes within a height of \(height)")
    }
    let status = cpng_writer_write_rows(handle, base.assumingMemoryBound(to: UInt8.self), UInt32(count), stride)
    guard status == Int32(CPNG_OK) else { throw libpngFailure() }
    rowsWritten += count
  }

  /// Writes the next rows from an array.
  public func writeRows(_ bytes: [UInt8], count: Int) throws(GridImageError) {
    var failure: GridImageError?
    bytes.withUnsafeBytes { buffer in
      do throws(GridImageError) {
        try writeRows(buffer, count: count)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
  }

  /// Ends the PNG and returns its bytes.
  ///
  /// - Throws: `GridImageError` when not all rows were written or libpng fails.
  public func finishInMemory() throws(GridImageError) -> Data {
    try finish()
    var length = 0
    guard let bytes = cpng_writer_bytes(handle, &length) else { return Data() }
    return Data(bytes: bytes, count: length)
  }

  /// Ends a file PNG: writes IEND, flushes, fsyncs (unless `durable` is false) and closes it.
  ///
  /// - Parameter durable: False for files that can be made again (a gallery's thumbnails): no fsync, which costs
  ///   more than encoding a small PNG.
  /// - Throws: `GridImageError` when not all rows were written or the disk refuses.
  public func finishFile(durable: Bool = true) throws(GridImageError) {
    cpng_writer_set_durable(handle, durable ? 1 : 0)
    try finish()
  }

  private func finish() throws(GridImageError) {
    guard rowsWritten == height else {
      throw GridImageError.invalidPixels("only \(rowsWritten) of \(height) rows were written")
    }
    guard !finished else { throw GridImageError.encodingFailed("the PNG was already finished") }
    finished = true
    guard cpng_writer_finish(handle) == Int32(CPNG_OK) else { throw libpngFailure() }
  }

  /// What libpng's failure was: a full disk named as such (with its free space), else libpng's words.
  private func libpngFailure() -> GridImageError {
    let code = cpng_writer_write_errno(handle)
    if let path, code != 0 { return .files(.failure("write", path, errno: code)) }
    return .encodingFailed(String(cString: cpng_writer_error(handle)))
  }

  /// Calls `body` with C text-chunk records whose strings live for the call.
  private static func withTextChunks<R>(
    _ texts: [PNGTextChunk], _ body: (UnsafePointer<cpng_text>?, Int32) -> R
  ) -> R {
    let keys = texts.map {
      strdup(String($0.key.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(79)))
    }
    let values = texts.map { strdup($0.text) }
    defer {
      keys.forEach { free($0) }
      values.forEach { free($0) }
    }
    let records = texts.indices.map { index in
      cpng_text(
        key: UnsafePointer(keys[index]), text: UnsafePointer(values[index]),
        international: texts[index].isInternational ? 1 : 0)
    }
    return records.withUnsafeBufferPointer { body($0.baseAddress, Int32(records.count)) }
  }
}
