import CPNGShim
import Foundation

/// Tells, from bytes fed as they arrive, whether an image file is whole: a PNG whose chunks all carry the right
/// CRC and end with `IEND` (nothing after it), a JPEG that ends with its end-of-image marker, a WEBP whose RIFF
/// size is its length.
///
/// A download cut short, or a real beginning padded with anything, is never taken for an image. Fed in pieces of
/// any size; costs a CRC pass over a PNG (zlib's) and nothing over the others.
public struct ImageCompleteness: Sendable {
  /// Where the PNG walk is.
  private enum PNGState: Sendable {
    case signature(seen: Int)
    case header([UInt8])
    case data(remaining: Int)
    case checksum([UInt8])
    case ended
  }

  private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  private var head: [UInt8] = []
  private var total = 0
  /// The last two bytes seen (JPEG's end marker).
  private var tail: (UInt8, UInt8) = (0, 0)
  private var isPNG = false
  private var state = PNGState.signature(seen: 0)
  private var crc: UInt32 = 0
  private var chunkType = ""
  private var chunks = 0
  private var pngProblem: String?

  public init() {}

  /// Takes the next bytes of the file.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    if total == 0 { isPNG = bytes[0] == 0x89 }
    if head.count < 16 { head += bytes.prefix(16 - head.count) }
    tail = bytes.count >= 2 ? (bytes[bytes.count - 2], bytes[bytes.count - 1]) : (tail.1, bytes[0])
    total += bytes.count
    if isPNG { readPNG(base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
  }

  /// Takes the next bytes of the file.
  public mutating func update(_ data: Data) {
    data.withUnsafeBytes { update($0) }
  }

  /// Nil when the file is a whole PNG, JPEG or WEBP of `expectedBytes` (when given); else what is wrong, in words.
  public func problem(expectedBytes: Int? = nil) -> String? {
    if let expectedBytes, expectedBytes != total {
      return "the server announced \(expectedBytes) bytes and sent \(total)"
    }
    if isPNG {
      if let pngProblem { return pngProblem }
      if case .ended = state { return nil }
      return "the PNG is cut short (no IEND chunk in its \(total) bytes)"
    }
    switch FileKind.describe(Data(head)) {
    case "JPEG":
      return tail == (0xFF, 0xD9) ? nil : "the JPEG is cut short (it does not end with its end-of-image marker)"
    case "WEBP":
      let declared = Int(head[4]) | Int(head[5]) << 8 | Int(head[6]) << 16 | Int(head[7]) << 24
      // RIFF pads an odd size with one byte.
      return total == declared + 8 || (declared % 2 == 1 && total == declared + 9)
        ? nil : "the WEBP is \(total) bytes where its header says \(declared + 8)"
    case let other:
      return "it is \(other ?? "something else"), not a PNG, JPEG or WEBP"
    }
  }

  /// Walks PNG chunks (length, type, data, CRC) over the next `count` bytes.
  private mutating func readPNG(_ bytes: UnsafePointer<UInt8>, count: Int) {
    var index = 0
    while index < count && pngProblem == nil {
      let available = count - index
      switch state {
      case .signature(let seen):
        let take = min(8 - seen, available)
        guard (0..<take).allSatisfy({ bytes[index + $0] == Self.signature[seen + $0] }) else {
          pngProblem = "the PNG signature is damaged"
          return
        }
        index += take
        state = seen + take == 8 ? .header([]) : .signature(seen: seen + take)
      case .header(var collected):
        guard Self.gather(&collected, size: 8, from: bytes, at: &index, count: count) else {
          state = .header(collected)
          continue
        }
        let length = collected[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let type = collected[4..<8]
        guard length <= Int(Int32.max), type.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else {
          pngProblem = "the PNG holds something that is not a chunk at byte \(total - count + index - 8)"
          return
        }
        guard chunks > 0 || type.elementsEqual("IHDR".utf8) else {
          pngProblem = "the PNG does not begin with its IHDR chunk"
          return
        }
        chunks += 1
        chunkType = String(decoding: type, as: UTF8.self)
        crc = Array(type).withUnsafeBufferPointer { cpng_crc32(0, $0.baseAddress, 4) }
        state = length > 0 ? .data(remaining: length) : .checksum([])
      case .data(let remaining):
        let take = min(remaining, available)
        crc = cpng_crc32(crc, bytes + index, take)
        index += take
        state = remaining == take ? .checksum([]) : .data(remaining: remaining - take)
      case .checksum(var collected):
        guard Self.gather(&collected, size: 4, from: bytes, at: &index, count: count) else {
          state = .checksum(collected)
          continue
        }
        guard collected.reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == crc else {
          pngProblem = "the PNG's \(chunkType) chunk fails its CRC (damaged on the way?)"
          return
        }
        state = chunkType == "IEND" ? .ended : .header([])
      case .ended:
        pngProblem = "the PNG has bytes after its IEND chunk"
        return
      }
    }
  }

  /// Appends the next bytes to `collected` until it holds `size`; true once it does.
  private static func gather(
    _ collected: inout [UInt8], size: Int, from bytes: UnsafePointer<UInt8>, at index: inout Int, count: Int
  ) -> Bool {
    let take = min(size - collected.count, count - index)
    collected += UnsafeBufferPointer(start: bytes + index, count: take)
    index += take
    return collected.count == size
  }
}
