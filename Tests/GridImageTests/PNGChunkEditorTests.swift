import Foundation
import GridImage
import TestSupport
import Testing

@Suite struct PNGChunkEditorTests {
  private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-chunks-\(UUID())")

  private func suiteFile(_ name: String) throws -> Data {
    try Data(contentsOf: SharedFixtures.pngSuite.appendingPathComponent(name))
  }

  private func written(_ data: Data, as name: String) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try data.write(to: url)
    return url.path
  }

  /// The chunks go in, libpng reads them back, and the pixels are the ones of the original, for every colour type.
  @Test(arguments: ["basn2c08.png", "basn6a16.png", "basn3p08.png", "basi0g08.png", "ctzn0g04.png"])
  func addedChunksReadBackAndThePixelsStay(name: String) throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try suiteFile(name)
    let chunks = [
      PNGTextChunk(key: "Description", text: "一只黑猫 </script> a fox"), PNGTextChunk(key: "parameters", text: "--ar 3:2"),
    ]
    let edited = try PNGChunkEditor.adding(chunks, to: original, path: name)
    let before = try PNGReader(path: try written(original, as: "before.png"))
    let after = try PNGReader(path: try written(edited, as: "after.png"))
    #expect(try after.readImage() == before.readImage())
    for chunk in chunks { #expect(after.textChunks.contains(chunk)) }
    #expect(try run("/usr/bin/pngcheck", ["-q", folder.appendingPathComponent("after.png").path]).isEmpty)
  }

  /// A key already there is replaced, not written twice; other text stays.
  @Test func aKeyAlreadyThereIsReplaced() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try suiteFile("ct1n0g04.png")  // has tEXt chunks (Title, Author, …)
    let first = try PNGChunkEditor.adding([PNGTextChunk(key: "Title", text: "old")], to: original, path: "a")
    let second = try PNGChunkEditor.adding([PNGTextChunk(key: "Title", text: "new")], to: first, path: "a")
    let reader = try PNGReader(path: try written(second, as: "twice.png"))
    #expect(reader.textChunks.filter { $0.key == "Title" } == [PNGTextChunk(key: "Title", text: "new")])
    #expect(reader.textChunks.contains { $0.key == "Author" })
  }

  @Test func aBrokenFileIsRefusedNotCopied() throws {
    let original = try suiteFile("basn2c08.png")
    var flipped = original
    flipped[40] ^= 0xFF  // inside IDAT: its CRC no longer matches
    let chunk = [PNGTextChunk(key: "Description", text: "x")]
    #expect(throws: GridImageError.self) { try PNGChunkEditor.adding(chunk, to: flipped, path: "flipped.png") }
    #expect(throws: GridImageError.self) {
      try PNGChunkEditor.adding(chunk, to: original.prefix(original.count - 12), path: "cut.png")
    }
    let error = #expect(throws: GridImageError.self) {
      try PNGChunkEditor.adding(chunk, to: Data("<html>gone</html>".utf8), path: "page.png")
    }
    #expect(error == .notPNG(path: "page.png", looksLike: "an HTML page"))
  }
}
