import Foundation
import Testing

@testable import GridImage

/// The PNG writer, checked chunk by chunk (signature, IHDR, text chunks, CRCs, IEND).
@Suite struct PNGWriterTests {
  struct Chunk {
    var type: String
    var data: [UInt8]
    var crcMatches: Bool
  }

  /// Splits a PNG into chunks, checking each CRC-32.
  static func chunks(_ png: Data) -> [Chunk]? {
    let bytes = [UInt8](png)
    guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
    var chunks: [Chunk] = []
    var offset = 8
    while offset + 12 <= bytes.count {
      let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
      guard offset + 12 + length <= bytes.count else { return nil }
      let typeAndData = Array(bytes[offset + 4..<offset + 8 + length])
      let stored = bytes[offset + 8 + length..<offset + 12 + length].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      chunks.append(
        Chunk(
          type: String(decoding: typeAndData.prefix(4), as: UTF8.self), data: Array(typeAndData.dropFirst(4)),
          crcMatches: crc32(typeAndData) == stored))
      offset += 12 + length
    }
    return offset == bytes.count ? chunks : nil
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
  }

  @Test func anRGBImageWithTextChunksIsWellFormed() throws {
    let writer = try PNGWriter(
      width: 3, height: 2, colorType: .rgb,
      texts: [PNGTextChunk(key: "Description", text: "red fox --ar 1:1"), PNGTextChunk(key: "Title", text: "一只黑猫 🐈")])
    try writer.writeRows([UInt8](repeating: 200, count: 9), count: 1)
    try writer.writeRows([UInt8](repeating: 10, count: 9), count: 1)
    let png = try writer.finishInMemory()
    let chunks = try #require(Self.chunks(png))
    #expect(chunks.allSatisfy { $0.crcMatches })
    #expect(chunks.first?.type == "IHDR")
    #expect(chunks.first?.data == [0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0])
    #expect(chunks.last?.type == "IEND")
    let text = try #require(chunks.first { $0.type == "tEXt" })
    #expect(text.data == Array("Description\u{0}red fox --ar 1:1".utf8))
    let international = try #require(chunks.first { $0.type == "iTXt" })
    #expect(international.data.starts(with: Array("Title\u{0}".utf8)))
    #expect(international.data.suffix(Array("一只黑猫 🐈".utf8).count) == Array("一只黑猫 🐈".utf8)[...])
    let textIndex = try #require(chunks.firstIndex { $0.type == "tEXt" })
    let dataIndex = try #require(chunks.firstIndex { $0.type == "IDAT" })
    #expect(textIndex < dataIndex)
  }

  @Test func sixteenBitGrayAndPaletteHeaders() throws {
    let gray = try PNGWriter(width: 2, height: 1, colorType: .gray, bitDepth: 16)
    #expect(gray.rowBytes == 4)
    try gray.writeRows([0xFF, 0xFF, 0x00, 0x01], count: 1)
    #expect(try #require(Self.chunks(try gray.finishInMemory())).first?.data.suffix(5) == [16, 0, 0, 0, 0])
    let palette = try PNGWriter(
      width: 9, height: 1, colorType: .palette, bitDepth: 1, palette: [0, 0, 0, 255, 255, 255])
    #expect(palette.rowBytes == 9)
    try palette.writeRows([1, 0, 1, 0, 1, 0, 1, 0, 1], count: 1)
    let chunks = try #require(Self.chunks(try palette.finishInMemory()))
    #expect(chunks.map(\.type).contains("PLTE"))
  }

  @Test func libpngErrorsComeBackAsSwiftErrors() {
    let error = #expect(throws: GridImageError.self) {
      try PNGWriter(width: 4, height: 4, colorType: .rgb, bitDepth: 3)
    }
    #expect(error?.description.contains("PNG encoding failed") == true)
    #expect(throws: GridImageError.self) { try PNGWriter(width: 0, height: 4) }
    #expect(throws: GridImageError.self) {
      try PNGWriter(width: 4, height: 4, colorType: .palette, bitDepth: 8, palette: [])
    }
  }

  @Test func missingOrExtraRowsAreRefused() throws {
    let writer = try PNGWriter(width: 2, height: 2)
    try writer.writeRows([UInt8](repeating: 0, count: 6), count: 1)
    #expect(throws: GridImageError.self) { try writer.finishInMemory() }
    #expect(throws: GridImageError.self) { try writer.writeRows([UInt8](repeating: 0, count: 12), count: 2) }
    #expect(throws: GridImageError.self) { try writer.writeRows([UInt8](repeating: 0, count: 3), count: 1) }
  }
}
