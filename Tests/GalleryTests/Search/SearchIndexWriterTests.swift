import Foundation
import TestSupport
import Testing

@testable import Gallery

/// The search index as written into a gallery, read back the way search.js reads it.
@Suite struct SearchIndexWriterTests {
  /// The data a file of the index hands to `MJ_SEARCH_LOADED`, and the name it gives.
  static func data(_ folder: URL, _ name: String) throws -> Any {
    let text = try String(
      contentsOf: folder.appendingPathComponent("assets/search/\(name).js"), encoding: .utf8)
    let prefix = "MJ_SEARCH_LOADED(\"\(name)\","
    #expect(text.hasPrefix(prefix) && text.hasSuffix(");\n"))
    let json = text.dropFirst(prefix.count).dropLast(3)
    return try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
  }

  /// The ids of the tasks holding `key` (a word, a pair, `*` and ideographs), newest first.
  static func tasks(holding key: String, in folder: URL) throws -> [String] {
    let index = try #require(try data(folder, "index") as? [String: Any])
    let keys = Set(try #require(index["keys"] as? [String]))
    let chunk = try #require(index["chunk"] as? Int)
    let shard = try #require(SearchShardsTests.key(of: key, among: keys))
    let words = try #require(try data(folder, SearchIndexWriter.shardName(shard)) as? [String: String])
    var previous = -1
    let ordinals = SearchPostingCodeTests.numbers(Array((words[key] ?? "").utf8)).map { gap in
      previous += gap + 1
      return previous
    }
    return try ordinals.reversed().map { ordinal in
      let rows = try #require(try data(folder, "d\(ordinal / chunk)") as? [[Any]])
      return try #require(rows[ordinal % chunk].first as? String)
    }
  }

  static func export(_ archive: SampleArchive, to folder: URL) throws -> GalleryReport {
    var options = GalleryOptions()
    options.searchRowsPerFile = 2
    return try GalleryExporter(store: archive.store, options: options).export(to: folder)
  }

  @Test func everyKindOfKeyLeadsBackToItsTasks() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try Self.export(archive, to: folder)
    #expect(try Self.tasks(holding: "cat", in: folder) == [SampleArchive.upscale, SampleArchive.imagine])
    #expect(try Self.tasks(holding: "lighthouse at", in: folder) == [SampleArchive.mixedCase])
    #expect(try Self.tasks(holding: "*猫", in: folder) == [SampleArchive.cjkPrompt])
    #expect(try Self.tasks(holding: "*黑猫", in: folder) == [SampleArchive.cjkPrompt])
    #expect(try Self.tasks(holding: "owl", in: folder) == [SampleArchive.svgPrompt])
    #expect(try Self.tasks(holding: "svg", in: folder) == [SampleArchive.svgPrompt])  // markup is text here
    #expect(try Self.tasks(holding: "dog", in: folder) == [])
    let meta = try #require(try Self.data(folder, "meta") as? [String: Any])
    #expect((meta["ratios"] as? [String])?.contains("16:9") == true)
  }

  @Test func aChangedTaskRewritesOneFileOfRows() throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    _ = try Self.export(archive, to: folder)
    let search = folder.appendingPathComponent("assets/search")
    let rowFiles = try FileManager.default.contentsOfDirectory(atPath: search.path).filter { $0.hasPrefix("d") }
    #expect(rowFiles.count == 4)  // 7 tasks, two a file
    let before = try rowFiles.map { try GalleryExporterTests.inode(search.appendingPathComponent($0).path) }
    _ = try archive.store.store([
      try SampleArchive.task(SampleArchive.svgPrompt, prompt: "an owl at dawn --ar 16:9 --v 7", time: 1_741_700_000_000)
    ])
    _ = try Self.export(archive, to: folder)
    let after = try rowFiles.map { try GalleryExporterTests.inode(search.appendingPathComponent($0).path) }
    #expect(zip(before, after).filter { $0 != $1 }.count == 1)
    #expect(try Self.tasks(holding: "dawn", in: folder) == [SampleArchive.svgPrompt])
    #expect(try Self.tasks(holding: "svg", in: folder) == [])
  }
}
