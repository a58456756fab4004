import Foundation

/// Walks a PNG's chunk headers before libpng reads it, so that no chunk can make libpng allocate
/// more than the limits allow.
///
/// libpng sizes its buffer for a text chunk from the length the chunk claims: a 44-byte file whose
/// `tEXt` claims 2³¹−1 bytes made it allocate 2 GB before failing on the missing bytes. Reading the
/// 8-byte headers costs one `pread` per chunk (a few dozen for a Midjourney grid).
enum PNGChunkCheck {
  /// Most chunks accepted in one file.
  static let maximumChunks = 100_000

  /// Checks every chunk's claimed length against `limits` and the file's size.
  ///
  /// - Throws: `GridImageError.tooLarge` naming the chunk and the limit, `.decodingFailed` for a
  ///   file cut short or with an impossible length, `.cannotRead`.
  static func verify(path: String, limits: PNGLimits) throws(GridImageError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw GridImageError.cannotRead(path: path) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw GridImageError.cannotRead(path: path) }
    let size = Int(status.st_size)
    var offset = 8  // after the signature
    var header = [UInt8](repeating: 0, count: 8)
    for _ in 0..<maximumChunks {
      guard offset < size else { return }  // libpng reports the missing IEND itself
      guard offset + 8 <= size, pread(descriptor, &header, 8, off_t(offset)) == 8 else {
        throw GridImageError.decodingFailed(
          path: path, reason: "the file is cut short inside a chunk header at byte \(offset)")
      }
      let length = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
      let name = chunkName(header[4..<8])
      if length > 0x7FFF_FFFF {
        throw GridImageError.decodingFailed(
          path: path, reason: "the \(name) chunk claims \(length) bytes, beyond PNG's limit of 2³¹−1")
      }
      if name != "IDAT", length > limits.maximumChunkBytes {
        throw GridImageError.tooLarge(
          path: path,
          reason:
            "the \(name) chunk claims \(length) bytes; the limit for one chunk is \(limits.maximumChunkBytes) bytes")
      }
      let end = offset + 12 + length
      if end > size {
        throw GridImageError.decodingFailed(
          path: path,
          reason:
            "the file is cut short: its \(name) chunk claims \(length) bytes but only \(max(0, size - offset - 8)) follow"
        )
      }
      if name == "IEND" { return }
      offset = end
    }
    throw GridImageError.tooLarge(path: path, reason: "it has more than \(maximumChunks) chunks")
  }

  /// The chunk's four-letter name, or a safe description when the bytes are not letters.
  private static func chunkName(_ bytes: ArraySlice<UInt8>) -> String {
    let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    guard bytes.allSatisfy(isLetter) else {
      return "unnamed (" + bytes.map { String(format: "%02X", $0) }.joined() + ")"
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
