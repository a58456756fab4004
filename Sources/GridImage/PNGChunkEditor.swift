import CPNGShim
import Foundation

/// Adds text chunks to a PNG without decoding it: the pixels, and every chunk but replaced text, stay byte for byte.
///
/// The file is walked chunk by chunk first (signature, lengths, CRCs, IHDR first, IEND last), so a broken file is
/// refused rather than copied with new metadata; the new chunks go right after IHDR, where every reader looks.
public enum PNGChunkEditor {
  private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  private static let textChunks: Set<String> = ["tEXt", "zTXt", "iTXt"]

  /// `png` with `chunks` added after IHDR; text chunks already there under one of the new keys are left out.
  ///
  /// - Parameter path: Names the file in errors.
  /// - Throws: `GridImageError.notPNG` or `.decodingFailed` naming what is wrong with the file.
  public static func adding(_ chunks: [PNGTextChunk], to png: Data, path: String) throws(GridImageError) -> Data {
    let bytes = [UInt8](png)
    guard bytes.count >= 8, Array(bytes[0..<8]) == signature else {
      throw .notPNG(path: path, looksLike: FileKind.describe(png.prefix(16)) ?? "something else")
    }
    let keys = Set(chunks.map(\.key))
    var output = Data(capacity: bytes.count + chunks.reduce(0) { $0 + $1.text.utf8.count + 64 })
    output.append(contentsOf: signature)
    var offset = 8
    var index = 0
    while true {
      guard offset + 12 <= bytes.count else {
        throw .decodingFailed(path: path, reason: "the file is cut short at byte \(offset), before its IEND chunk")
      }
      let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
      let name = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
      let end = offset + 12 + length
      guard length <= 0x7FFF_FFFF, end <= bytes.count else {
        throw .decodingFailed(path: path, reason: "chunk \(index + 1) claims \(length) bytes, more than the file holds")
      }
      let stored = bytes[end - 4..<end].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      let computed = bytes[offset + 4..<end - 4].withUnsafeBufferPointer { cpng_crc32(0, $0.baseAddress, $0.count) }
      guard stored == computed else {
        throw .decodingFailed(path: path, reason: "chunk \(index + 1) (\(name)) fails its CRC check")
      }
      guard (index == 0) == (name == "IHDR") else {
        throw .decodingFailed(path: path, reason: "IHDR is not the first chunk, or it comes twice")
      }
      let replaced = textChunks.contains(name) && keys.contains(keyword(bytes[offset + 8..<end - 4]))
      if !replaced { output.append(contentsOf: bytes[offset..<end]) }
      if index == 0 {
        for chunk in chunks { output.append(encoded(chunk)) }
      }
      if name == "IEND" { return output }
      offset = end
      index += 1
    }
  }

  /// One chunk as written: iTXt (uncompressed, no language) for UTF-8 text, tEXt for printable ASCII.
  static func encoded(_ chunk: PNGTextChunk) -> Data {
    var body = Array(chunk.key.utf8) + [0]
    let name: String
    if chunk.isInternational {
      name = "iTXt"
      body += [0, 0, 0, 0] + Array(chunk.text.utf8)  // not compressed, no language tag, no translated keyword
    } else {
      name = "tEXt"
      body += Array(chunk.text.utf8)
    }
    let typed = Array(name.utf8) + body
    let crc = typed.withUnsafeBufferPointer { cpng_crc32(0, $0.baseAddress, $0.count) }
    var data = Data(capacity: typed.count + 8)
    data.append(contentsOf: bigEndian(UInt32(body.count)))
    data.append(contentsOf: typed)
    data.append(contentsOf: bigEndian(crc))
    return data
  }

  /// A text chunk's keyword: its bytes up to the first NUL.
  private static func keyword(_ body: ArraySlice<UInt8>) -> String {
    String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
  }

  private static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
  }
}
