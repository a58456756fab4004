import Foundation
import TestSupport
import Testing

@testable import GridImage

@Suite struct PerceptualHashTests {
  static let suite = SharedFixtures.pngSuite
  /// ImageHash 4.3.2's hashes of PngSuite (`Fixtures/imagehash-reference.py` made them), as hex strings.
  static let reference: [String: [String: String]] = {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/imagehash-pngsuite.json")
    let object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: file))) as? [String: [String: String]]
    return object ?? [:]
  }()

  /// PngSuite's pictures with content (not a smooth ramp, whose high frequencies are all near zero and so order
  /// against their median by rounding alone), 8-bit, opaque, and read alike by Pillow and libpng (no sBIT, no
  /// 16-bit, which Pillow clips on its way to grey).
  static let pictures = [
    "f00n0g08.png", "f01n0g08.png", "f02n0g08.png", "f03n0g08.png", "f04n0g08.png", "f00n2c08.png", "f01n2c08.png",
    "f02n2c08.png", "f03n2c08.png", "f04n2c08.png", "basn0g08.png", "ps1n0g08.png", "ps2n0g08.png", "cdhn2c08.png",
    "cdun2c08.png", "ccwn2c08.png", "g25n3p04.png",
  ]

  @Test(arguments: pictures)
  func hashesAgreeWithImageHash(name: String) throws {
    let sample = try Thumbnailer().sample(of: Self.suite.appendingPathComponent(name).path)
    let expected = try #require(Self.reference[name])
    let pHash = try #require(UInt64(expected["phash"] ?? "", radix: 16))
    let dHash = try #require(UInt64(expected["dhash"] ?? "", radix: 16))
    // The same DCT, median and bit order: at most a coefficient or two on the median differs (Pillow rounds its
    // grey to integers). dHash shrinks to 9×8 with Lanczos there and by area here: a few neighbours differ.
    #expect(PerceptualHash.distance(PerceptualHash.pHash(sample), pHash) <= 2)
    #expect(PerceptualHash.distance(PerceptualHash.dHash(sample), dHash) <= 6)
  }

  @Test func aRampToTheRightSetsEveryDifferenceBitAndOneDownSetsNone() {
    let across = GreyImage(width: 64, height: 64, pixels: (0..<4096).map { Float($0 % 64) * 4 })
    let down = GreyImage(width: 64, height: 64, pixels: (0..<4096).map { Float($0 / 64) * 4 })
    #expect(PerceptualHash.dHash(across) == .max)
    #expect(PerceptualHash.dHash(down) == 0)
  }

  /// Rows are the first axis, as numpy's: a transposed picture's pHash is the original's bits read down the columns.
  @Test func theDCTsAxesAreNumpysOrder() throws {
    let sample = try Thumbnailer().sample(of: Self.suite.appendingPathComponent("f03n2c08.png").path)
    let edge = sample.width
    let transposed = GreyImage(
      width: edge, height: edge, pixels: (0..<(edge * edge)).map { sample.pixels[($0 % edge) * edge + $0 / edge] })
    let hash = PerceptualHash.pHash(sample)
    var columnwise: UInt64 = 0
    for bit in 0..<64 {
      let source = (bit % 8) * 8 + bit / 8
      columnwise = columnwise << 1 | (hash >> UInt64(63 - source) & 1)
    }
    #expect(PerceptualHash.pHash(transposed) == columnwise)
    #expect(PerceptualHash.pHash(transposed) != hash)
  }

  @Test func enlargedOrShrunkThePictureHashesAlike() throws {
    let name = "f02n2c08.png"
    let sample = try Thumbnailer().sample(of: Self.suite.appendingPathComponent(name).path)
    for edge in [16, 128, 512] {
      let resized = sample.resized(width: edge, height: edge)
      #expect(PerceptualHash.distance(PerceptualHash.pHash(resized), PerceptualHash.pHash(sample)) <= 4, "\(edge)")
    }
  }

  @Test func areaAveragingAndTheGridsOrder() {
    let image = GreyImage(width: 4, height: 2, pixels: [0, 2, 4, 6, 10, 12, 14, 16])
    #expect(image.resized(width: 2, height: 1).pixels == [6, 10])
    #expect(image.resized(width: 8, height: 2).pixels.prefix(4) == [0, 0, 2, 2])
    let quadrants = (1...4).map { GreyImage(width: 1, height: 1, pixels: [Float($0)]) }
    #expect(GreyImage.grid(quadrants)?.pixels == [1, 2, 3, 4])
    #expect(GreyImage.grid(Array(quadrants.prefix(3))) == nil)
  }
}
