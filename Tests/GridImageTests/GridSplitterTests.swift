import Foundation
import TestSupport
import Testing

@testable import GridImage

/// Splitting against PngSuite: every valid file splits into quadrants whose pixels equal the
/// source's, every corrupt file fails with one line, and nothing half-written is left behind.
@Suite struct GridSplitterTests {
  static let suite = SharedFixtures.pngSuite
  static var valid: [String] { files.filter { !$0.hasPrefix("x") } }
  static var corrupt: [String] { files.filter { $0.hasPrefix("x") } }
  static var files: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
  }

  func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-split-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// Decoded pixels of a file, `rowBytes` per row.
  func pixels(_ path: String) throws -> (reader: PNGReader, pixels: [UInt8]) {
    let reader = try PNGReader(path: path)
    return (reader, try reader.readImage())
  }

  @Test func thereAreFifteenCorruptAndManyValidFiles() {
    #expect(Self.corrupt.count == 15)
    #expect(Self.valid.count > 150)
  }

  @Test(arguments: valid)
  func everyValidFileSplitsIntoItsExactPixels(name: String) throws {
    let source = Self.suite.appendingPathComponent(name).path
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (reader, whole) = try pixels(source)
    guard reader.width >= 2, reader.height >= 2 else {
      #expect(throws: GridImageError.tooSmall(path: source, width: reader.width, height: reader.height)) {
        try GridSplitter().split(source, into: directory, baseName: "q")
      }
      return
    }
    let outputs = try GridSplitter().split(source, into: directory, baseName: "q") { quadrant in
      [PNGTextChunk(key: "mjarchive Quadrant", text: String(quadrant))]
    }
    #expect(outputs.map(\.lastPathComponent) == ["q-1.png", "q-2.png", "q-3.png", "q-4.png"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
        "q-1.png", "q-2.png", "q-3.png", "q-4.png",
      ])
    let leftWidth = reader.width / 2
    let topHeight = reader.height / 2
    let bytesPerPixel = reader.bytesPerPixel
    for (index, output) in outputs.enumerated() {
      let (quadrant, actual) = try pixels(output.path)
      #expect(quadrant.colorType == reader.colorType)
      #expect(quadrant.sourceBitDepth == reader.sourceBitDepth)
      #expect(!quadrant.isInterlaced)
      let x0 = index % 2 == 0 ? 0 : leftWidth
      let y0 = index < 2 ? 0 : topHeight
      #expect(quadrant.width == (index % 2 == 0 ? leftWidth : reader.width - leftWidth))
      #expect(quadrant.height == (index < 2 ? topHeight : reader.height - topHeight))
      var expected: [UInt8] = []
      for y in y0..<(y0 + quadrant.height) {
        let start = y * reader.rowBytes + x0 * bytesPerPixel
        expected += whole[start..<(start + quadrant.width * bytesPerPixel)]
      }
      #expect(actual == expected, "quadrant \(index + 1) of \(name)")
      #expect(quadrant.textChunks.contains(PNGTextChunk(key: "mjarchive Quadrant", text: String(index + 1))))
    }
  }

  @Test(arguments: corrupt)
  func everyCorruptFileFailsWithOneLineAndLeavesNothing(name: String) throws {
    let source = Self.suite.appendingPathComponent(name).path
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let error = #expect(throws: GridImageError.self) {
      try GridSplitter().split(source, into: directory, baseName: "q")
    }
    #expect(error?.description.contains("\n") == false)
    #expect(error?.description.contains(name) == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test func sourceTextChunksAreKeptAndUTF8SurvivesInITXt() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try PNGWriter(
      width: 4, height: 4, colorType: .rgb,
      texts: [PNGTextChunk(key: "Description", text: "cat --v 6.1 Job ID: 26d56b92")])
    try writer.writeRows([UInt8](repeating: 7, count: 48), count: 4)
    let source = directory.appendingPathComponent("grid.png")
    try writer.finishInMemory().write(to: source)
    let outputs = try GridSplitter().split(source.path, into: directory, baseName: "123") { quadrant in
      [PNGTextChunk(key: "mjarchive Prompt", text: "一只黑猫 \(quadrant)")]
    }
    let texts = try PNGReader(path: outputs[3].path).textChunks
    #expect(texts.contains(PNGTextChunk(key: "Description", text: "cat --v 6.1 Job ID: 26d56b92")))
    #expect(texts.contains(PNGTextChunk(key: "mjarchive Prompt", text: "一只黑猫 4")))
  }

  /// Regression: a 9 MB prompt was copied whole into each quadrant, beyond what a reader accepts, so making the
  /// thumbnails failed and the grid was marked unsplittable for ever.
  @Test func aHugePromptIsCutInTheQuadrantsAtACharacterBoundary() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try PNGWriter(width: 4, height: 4, colorType: .rgb)
    try writer.writeRows([UInt8](repeating: 7, count: 48), count: 4)
    let source = directory.appendingPathComponent("grid.png")
    try writer.finishInMemory().write(to: source)
    let prompt = "a" + String(repeating: "猫", count: 3_000_000)
    let outputs = try GridSplitter().split(source.path, into: directory, baseName: "123") { _ in
      [PNGTextChunk(key: "mjarchive Prompt", text: prompt)]
    }
    for output in outputs {
      let text = try #require(try PNGReader(path: output.path).textChunks.first { $0.key == "mjarchive Prompt" }?.text)
      #expect(text.utf8.count <= PNGTextChunk.maximumQuadrantTextBytes)
      #expect(text.utf8.count > PNGTextChunk.maximumQuadrantTextBytes - 8)
      #expect(text.hasPrefix("a猫猫") && text.hasSuffix("猫 […]"))
      try Thumbnailer().thumbnail(of: output.path, maxEdge: 2, to: directory.appendingPathComponent("t.png"))
    }
  }

  /// Regression: an interlaced image is decoded whole, and a 778 KB file of a 10000² 16-bit RGBA one took 826 MB to
  /// split; interlaced images have a limit of their own on the bytes decoded.
  @Test func anInterlacedImageBeyondItsDecodeLimitIsRefusedBeforeDecoding() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = Self.suite.appendingPathComponent("basi6a16.png").path  // 32×32, 16-bit RGBA, interlaced: 8 KB
    let tight = GridSplitter(limits: PNGLimits(maximumInterlacedBytes: 4_096))
    #expect(
      throws: GridImageError.tooLarge(
        path: source, reason: "an interlaced 32×32 image is decoded whole, 8 KB, beyond 4 KB")
    ) {
      try tight.split(source, into: directory, baseName: "x")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    #expect(try GridSplitter().split(source, into: directory, baseName: "x").count == 4)
    #expect(PNGLimits.standard.maximumInterlacedBytes == 160 << 20)
  }

  @Test func filesThatAreNotPNGSayWhatTheyLookLike() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let cases: [(Data, String)] = [
      (Data("RIFF\u{1a}\0\0\0WEBPVP8L".utf8), "WEBP"), (Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), "JPEG"),
      (Data("<html><body>502 Bad Gateway</body></html>".utf8), "an HTML page"), (Data(), "an empty file"),
    ]
    for (bytes, kind) in cases {
      let file = directory.appendingPathComponent("download.png")
      try bytes.write(to: file)
      let error = #expect(throws: GridImageError.self) {
        try GridSplitter().split(file.path, into: directory, baseName: "q")
      }
      #expect(error == .notPNG(path: file.path, looksLike: kind))
      #expect(try Data(contentsOf: file) == bytes)
    }
    #expect(throws: GridImageError.self) {
      try GridSplitter().split("/nonexistent/x.png", into: directory, baseName: "q")
    }
  }

  @Test func aTruncatedDownloadFailsAndLeavesNoPartialQuadrants() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try PNGWriter(width: 64, height: 64, colorType: .rgb, options: PNGEncodingOptions(compressionLevel: 0))
    try writer.writeRows((0..<(64 * 64 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 31) }, count: 64)
    let png = try writer.finishInMemory()
    let file = directory.appendingPathComponent("cut.png")
    try png.prefix(png.count * 2 / 3).write(to: file)
    let error = #expect(throws: GridImageError.self) {
      try GridSplitter().split(file.path, into: directory, baseName: "q")
    }
    #expect(error?.description.contains("broken PNG") == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["cut.png"])
  }

  @Test func imagesBeyondTheLimitsAreRefusedBeforeDecoding() throws {
    let source = Self.suite.appendingPathComponent("basn2c08.png").path
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let tight = GridSplitter(limits: PNGLimits(maximumWidth: 16, maximumHeight: 16, maximumPixels: 256))
    let error = #expect(throws: GridImageError.self) { try tight.split(source, into: directory, baseName: "q") }
    guard case .tooLarge? = error else {
      Issue.record("expected tooLarge, got \(String(describing: error))")
      return
    }
    let pixels = GridSplitter(limits: PNGLimits(maximumPixels: 100))
    #expect(throws: GridImageError.self) { try pixels.split(source, into: directory, baseName: "q") }
  }

  /// Regression: a 44-byte file whose text chunk claimed 2³¹−1 bytes made libpng allocate 2 GB.
  @Test(arguments: ["tEXt", "iTXt", "zTXt", "iCCP", "eXIf"])
  func aChunkClaimingMoreThanTheLimitIsRefusedBeforeAnyAllocation(name: String) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try Data(contentsOf: Self.suite.appendingPathComponent("basn2c08.png"))
    // Signature and IHDR (33 bytes), then a chunk header claiming 2³¹−1 bytes and three bytes: 44 in all.
    let bomb = source.prefix(33) + Data([0x7F, 0xFF, 0xFF, 0xFF]) + Data(name.utf8) + Data("abc".utf8)
    #expect(bomb.count == 44)
    let file = directory.appendingPathComponent("bomb.png")
    try bomb.write(to: file)
    let error = #expect(throws: GridImageError.self) {
      try GridSplitter().split(file.path, into: directory, baseName: "q")
    }
    guard case .tooLarge(_, let reason)? = error else {
      Issue.record("expected tooLarge, got \(String(describing: error))")
      return
    }
    #expect(reason == "the \(name) chunk claims 2147483647 bytes; the limit for one chunk is 8388608 bytes")
    #expect(throws: GridImageError.self) {
      try Thumbnailer().thumbnail(of: file.path, maxEdge: 64, to: directory.appendingPathComponent("t.png"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["bomb.png"])
  }

  @Test func oneThreadAndTwoThreadsWriteTheSameBytes() throws {
    let source = Self.suite.appendingPathComponent("basn6a16.png").path
    let one = try temporaryDirectory()
    let two = try temporaryDirectory()
    defer {
      try? FileManager.default.removeItem(at: one)
      try? FileManager.default.removeItem(at: two)
    }
    let serial = try GridSplitter(concurrent: false).split(source, into: one, baseName: "q")
    let parallel = try GridSplitter(concurrent: true).split(source, into: two, baseName: "q")
    for (a, b) in zip(serial, parallel) {
      #expect(try Data(contentsOf: a) == (try Data(contentsOf: b)))
    }
  }
}
