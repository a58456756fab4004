import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// Full-text search: syntax, filters, sorting, CJK.
@Suite struct SearchTests {
  @Test func cjkTextIsFoundByOneCharacterOrMore() throws {
    let archive = try TemporaryArchive()
    _ = try archive.store.store([
      try TemporaryArchive.task(id: "1", prompt: "一只黑猫"),
      try TemporaryArchive.task(id: "2", prompt: "一只赛博朋克猫 --ar 16:9"),
      try TemporaryArchive.task(id: "3", prompt: "a black dog"),
      try TemporaryArchive.task(id: "4", prompt: "猫の写真 neon cat"),
    ])
    let ids = { (text: String) throws -> [String] in
      try archive.store.search(SearchQuery(text: text)).map(\.id).sorted()
    }
    #expect(try ids("猫") == ["1", "2", "4"])
    #expect(try ids("黑猫") == ["1"])
    #expect(try ids("赛博朋克") == ["2"])
    #expect(try ids("朋克猫") == ["2"])
    #expect(try ids("狗") == [])
    #expect(try ids("猫 AND neon") == ["4"])
    #expect(try ids("\"黑猫\" OR dog") == ["1", "3"])
    #expect(try ids("写真") == ["4"])
  }

  @Test func searchSyntaxFiltersAndSorting() throws {
    let archive = try TemporaryArchive()
    _ = try archive.store.store([
      try TemporaryArchive.task(id: "10", prompt: "red fox in snow --ar 16:9 --v 6.1", submitTime: 1_700_000_000_000),
      try TemporaryArchive.task(
        id: "11", prompt: "red fox, red sky, red everything --ar 1:1 --niji 6 --seed 7", submitTime: 1_710_000_000_000),
      try TemporaryArchive.task(
        id: "12", prompt: "blue fox --no red-car --sref https://s.mj.run/abc", action: "UPSCALE",
        submitTime: 1_720_000_000_000),
      try TemporaryArchive.task(id: "13", prompt: "foxglove flowers", status: "FAILURE", submitTime: 1_730_000_000_000),
    ])
    func ids(_ text: String, _ configure: (inout SearchQuery) -> Void = { _ in }) throws -> [String] {
      var query = SearchQuery(text: text)
      configure(&query)
      return try archive.store.search(query).map(\.id)
    }
    #expect(try ids("fox") == ["12", "11", "10"])
    #expect(try ids("fox") { $0.sort = .oldest } == ["10", "11", "12"])
    #expect(try ids("red") { $0.sort = .relevance }.first == "11")
    #expect(try ids("fox*") == ["13", "12", "11", "10"])
    #expect(try ids("fox NOT snow") == ["12", "11"])
    #expect(try ids("\"red fox\"") == ["11", "10"])
    #expect(try ids("red-car") == ["12"])
    #expect(try ids("16:9") == ["10"])
    #expect(try ids("upscale") == ["12"])
    #expect(try ids("fox") { $0.aspectRatio = "16:9" } == ["10"])
    #expect(try ids("") { $0.niji = "6" } == ["11"])
    #expect(try ids("") { $0.seed = "7" } == ["11"])
    #expect(try ids("") { $0.version = "6.1" } == ["10"])
    #expect(try ids("") { $0.sref = "s.mj.run/abc" } == ["12"])
    #expect(try ids("") { $0.action = "upscale" } == ["12"])
    #expect(try ids("") { $0.status = "failure" } == ["13"])
    #expect(
      try ids("") {
        $0.since = 1_705_000_000_000; $0.until = 1_725_000_000_000
      } == ["12", "11"])
    #expect(try ids("") { $0.hasImage = true } == [])
    #expect(try ids("fox") { $0.limit = 1 } == ["12"])
    let hit = try #require(try archive.store.search(SearchQuery(text: "snow")).first)
    #expect(hit.snippet.contains("\(SearchHit.highlightStart)snow\(SearchHit.highlightEnd)"))
    #expect(hit.parameters["ar"] == "16:9")
  }

  /// Regression (found by fuzz/FuzzSearchQuery): NEAR with a word for its distance gave a database error.
  @Test(arguments: ["fox AND", "(fox", "NEAR(fox", "OR", "NEAR(red fx ,o3) 16:9 rx, 3) 16:9 le"])
  func invalidQueriesGiveOneLine(text: String) throws {
    let archive = try TemporaryArchive()
    let error = #expect(throws: StoreError.self) { try archive.store.search(SearchQuery(text: text)) }
    guard case .invalidQuery(let detail)? = error else {
      Issue.record("expected invalidQuery, got \(String(describing: error))")
      return
    }
    #expect(!detail.contains("\n"))
    #expect(error?.description.hasPrefix("invalid search query: ") == true)
  }
}
