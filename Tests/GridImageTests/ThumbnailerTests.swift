import Foundation
import TestSupport
import Testing

@testable import GridImage

@Suite struct ThumbnailerTests {
  func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-thumb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test func sizesKeepTheAspectAndNeverEnlarge() {
    #expect(Thumbnailer.size(width: 2048, height: 2048, maxEdge: 256) == (256, 256))
    #expect(Thumbnailer.size(width: 1456, height: 816, maxEdge: 512) == (512, 287))
    #expect(Thumbnailer.size(width: 100, height: 40, maxEdge: 256) == (100, 40))
    #expect(Thumbnailer.size(width: 5000, height: 1, maxEdge: 256) == (256, 1))
  }

  @Test func aOnePixelCheckerboardBecomesEvenGreyNotMoire() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let side = 301
    let writer = try PNGWriter(width: side, height: side, colorType: .gray)
    for y in 0..<side {
      try writer.writeRows((0..<side).map { x in (x + y) % 2 == 0 ? 255 : 0 }, count: 1)
    }
    let source = directory.appendingPathComponent("checker.png")
    try writer.finishInMemory().write(to: source)
    let thumb = directory.appendingPathComponent("thumb.png")
    #expect(try Thumbnailer().thumbnail(of: source.path, maxEdge: 64, to: thumb) == (64, 64))
    let reader = try PNGReader(path: thumb.path)
    #expect(reader.colorType == .rgb)
    let pixels = try reader.readImage()
    #expect(pixels.count == 64 * 64 * 3)
    #expect(pixels.allSatisfy { (110...145).contains($0) }, "min \(pixels.min() ?? 0) max \(pixels.max() ?? 0)")
  }

  @Test func transparentPixelsDoNotDarkenTheAverage() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try PNGWriter(width: 2, height: 2, colorType: .rgba)
    try writer.writeRows([255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0], count: 2)
    let source = directory.appendingPathComponent("alpha.png")
    try writer.finishInMemory().write(to: source)
    let thumb = directory.appendingPathComponent("t.png")
    try Thumbnailer().thumbnail(of: source.path, maxEdge: 1, to: thumb)
    #expect(try PNGReader(path: thumb.path).readImage() == [255, 0, 0, 128])
  }

  @Test(arguments: ["basn3p04.png", "basn0g16.png", "basi4a08.png", "basn6a16.png", "tbrn2c08.png", "basn0g01.png"])
  func everyKindOfSourceGivesAnRGBThumbnail(name: String) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = GridSplitterTests.suite.appendingPathComponent(name).path
    let thumb = directory.appendingPathComponent("t.png")
    #expect(try Thumbnailer().thumbnail(of: source, maxEdge: 16, to: thumb) == (16, 16))
    let reader = try PNGReader(path: thumb.path)
    #expect(reader.bitDepth == 8)
    #expect([.rgb, .rgba].contains(reader.colorType))
  }

  @Test func aBrokenSourceLeavesNoThumbnail() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let thumb = directory.appendingPathComponent("t.png")
    let source = GridSplitterTests.suite.appendingPathComponent("xcsn0g01.png").path
    #expect(throws: GridImageError.self) { try Thumbnailer().thumbnail(of: source, maxEdge: 16, to: thumb) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test func quadrantMetadataIsReadableByPngcheck() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let metadata = QuadrantMetadata(
      taskId: "14001934816977278", prompt: "一只黑猫 --ar 1:1", finalPrompt: "一只黑猫 --ar 1:1 --v 6.1",
      sourceURL: "https://img.example/attachments/1/2/cat.png?ex=1")
    #expect(
      metadata.chunks(quadrant: 2).map(\.key) == [
        "mjarchive Task ID", "mjarchive Quadrant", "mjarchive Prompt", "mjarchive Final Prompt", "mjarchive Source URL",
      ])
    let source = GridSplitterTests.suite.appendingPathComponent("basn2c08.png").path
    let outputs = try GridSplitter().split(source, into: directory, baseName: "q") { metadata.chunks(quadrant: $0) }
    let texts = try PNGReader(path: outputs[1].path).textChunks
    #expect(texts.contains(PNGTextChunk(key: "mjarchive Prompt", text: "一只黑猫 --ar 1:1")))
    #expect(texts.contains(PNGTextChunk(key: "mjarchive Task ID", text: "14001934816977278")))
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pngcheck") else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/pngcheck")
    process.arguments = ["-t", outputs[1].path]
    let outcome = try ProcessOutcome.run(process, input: nil)
    let text = outcome.stdout
    #expect(outcome.status == 0, "\(text)")
    #expect(text.contains("mjarchive Task ID"))
    #expect(text.contains("14001934816977278"))
  }
}
