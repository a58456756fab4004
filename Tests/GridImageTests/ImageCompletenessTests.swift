import Foundation
import TestSupport
import Testing

@testable import GridImage

@Suite struct ImageCompletenessTests {
  static let suite = SharedFixtures.pngSuite

  /// Feeds `bytes` in pieces of `piece` bytes.
  private func problem(_ bytes: Data, piece: Int = 1 << 20, expected: Int? = nil) -> String? {
    var check = ImageCompleteness()
    var offset = 0
    while offset < bytes.count {
      check.update(bytes[offset..<min(offset + piece, bytes.count)])
      offset += piece
    }
    return check.problem(expectedBytes: expected)
  }

  @Test func everyValidPngSuiteFileIsWholeFedAtOnceOrByteByByte() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.suite.path)
      .filter { $0.hasSuffix(".png") && !$0.hasPrefix("x") }
    #expect(names.count > 100)
    for name in names {
      let bytes = try Data(contentsOf: Self.suite.appendingPathComponent(name))
      #expect(problem(bytes) == nil, "\(name)")
      #expect(problem(bytes, piece: 1) == nil, "\(name)")
      #expect(problem(bytes, piece: 7, expected: bytes.count) == nil, "\(name)")
    }
  }

  /// Regression: a download cut anywhere, or a PNG signature followed by zeros, was kept as the original.
  @Test func aPNGCutAnywhereOrPaddedOrDamagedIsNotWhole() throws {
    let bytes = try Data(contentsOf: Self.suite.appendingPathComponent("basn6a16.png"))
    for cut in [0, 1, 8, 12, 33, bytes.count / 2, bytes.count - 4, bytes.count - 1] {
      #expect(problem(bytes.prefix(cut)) != nil, "cut at \(cut)")
    }
    #expect(problem(bytes.prefix(100)) == "the PNG is cut short (no IEND chunk in its 100 bytes)")
    #expect(problem(bytes.prefix(8) + Data(count: 200_000)) == "the PNG holds something that is not a chunk at byte 8")
    #expect(problem(bytes + Data(count: 10)) == "the PNG has bytes after its IEND chunk")
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0x01
    #expect(problem(flipped) == "the PNG's IDAT chunk fails its CRC (damaged on the way?)")
    #expect(
      problem(bytes, expected: bytes.count + 1)
        == "the server announced \(bytes.count + 1) bytes and sent \(bytes.count)")
  }

  @Test func pngSuitesBrokenFilesAreNotWhole() throws {
    // Damaged signatures and CRCs; the others are broken inside data this check does not decode.
    let names = [
      "xs1n0g01.png", "xs2n0g01.png", "xs4n0g01.png", "xs7n0g01.png", "xcrn0g04.png", "xlfn0g04.png", "xhdn0g08.png",
      "xcsn0g01.png",
    ]
    for name in names {
      #expect(problem(try Data(contentsOf: Self.suite.appendingPathComponent(name))) != nil, "\(name)")
    }
  }

  @Test func jpegAndWebpAreWholeByTheirOwnMarkers() {
    let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 7, count: 100) + [0xFF, 0xD9])
    #expect(problem(jpeg, piece: 3) == nil)
    #expect(problem(jpeg.dropLast()) == "the JPEG is cut short (it does not end with its end-of-image marker)")
    let body = [UInt8]("WEBPVP8 ".utf8) + [UInt8](repeating: 1, count: 30)
    let size = UInt32(body.count)
    let webp = Data([UInt8]("RIFF".utf8) + withUnsafeBytes(of: size.littleEndian, Array.init) + body)
    #expect(problem(webp, piece: 5) == nil)
    #expect(problem(webp.dropLast(3)) == "the WEBP is \(webp.count - 3) bytes where its header says \(webp.count)")
    #expect(problem(Data("<html>".utf8)) == "it is an HTML page, not a PNG, JPEG or WEBP")
  }
}
