import Foundation
import TestSupport
import Testing

@testable import Gallery

/// The gallery's search in headless Chromium over a cut index (two tasks a file of rows): the words Swift indexed
/// are the words the page's script looks up, whatever the script, accents or width of the text.
@Suite(.serialized) struct SearchBrowserTests {
  static let folded = "1000000000000011"
  static let fox = "1000000000000012"
  static let dog = "1000000000000013"
  static let hangul = "1000000000000014"

  /// Steps that run one search and read the ids of the tiles it shows, once its count is final.
  static func search(_ query: String, action: String = "") throws -> [[String: Any]] {
    let text = String(decoding: try JSONSerialization.data(withJSONObject: [query, action]), as: UTF8.self)
    return [
      [
        "eval": """
        var values = \(text); document.getElementById('results-title').textContent = '';
        document.getElementById('f-action').value = values[1]; document.getElementById('q').value = values[0];
        document.getElementById('q').dispatchEvent(new Event('input')); true
        """
      ],
      ["waitFor": "/match(es)?$/.test(document.getElementById('results-title').textContent)", "timeout": 10_000],
      GalleryBrowserTests.ids("#result-tiles .tile"),
    ]
  }

  @Test func wordsFoldTheSameInSwiftAndInThePageAndPhrasesSpanFiles() async throws {
    let archive = try SampleArchive()
    _ = try archive.store.store([
      try SampleArchive.task(
        Self.folded, prompt: "Crème brûlée under ΟΔΟΣ lights, ﬁne Ｆｕｌｌ moon", time: 1_742_000_000_000),
      try SampleArchive.task(Self.fox, prompt: "red fox jumping over the lazy dog", time: 1_742_100_000_000),
      try SampleArchive.task(Self.dog, prompt: "lazy red dog", time: 1_742_200_000_000),
      try SampleArchive.task(Self.hangul, prompt: "한국어 고양이 그림", time: 1_742_300_000_000),
    ])
    let folder = archive.galleryFolder()
    var options = GalleryOptions()
    options.searchRowsPerFile = 2
    _ = try GalleryExporter(store: archive.store, options: options).export(to: folder)
    let queries: [(String, String, [String])] = [
      ("creme BRULEE", "", [Self.folded]),
      ("οδος", "", [Self.folded]),
      ("fine full", "", [Self.folded]),
      ("\"red fox\"", "", [Self.fox]),
      ("laz*", "", [Self.dog, Self.fox]),
      ("red-d*", "", [Self.dog]),
      ("\"fox jumping over\"", "", [Self.fox]),
      ("\"over lazy dog\"", "", []),
      ("고양이", "", [Self.hangul]),
      ("猫", "", [SampleArchive.cjkPrompt]),
      ("雪地里", "", [SampleArchive.cjkPrompt]),
      ("cat", "UPSCALE", [SampleArchive.upscale]),
      ("", "UPSCALE", [SampleArchive.upscale]),
      (SampleArchive.imagine, "", [SampleArchive.imagine]),
      ("zzzz", "", []),
    ]
    var steps: [[String: Any]] = [["open": folder.appendingPathComponent("index.html").absoluteString]]
    for (query, action, _) in queries { steps += try Self.search(query, action: action) }
    steps.append(["eval": "document.getElementById('results-title').textContent"])
    let session = try await GalleryBrowserTests.browse(steps)
    GalleryBrowserTests.expectClean(session)
    let shown = session.values.compactMap { $0 as? [String] }
    #expect(shown.count == queries.count)
    for (query, found) in zip(queries, shown) {
      #expect(found == query.2, "\(query.0) \(query.1)")
    }
    #expect(session.values.last as? String == "0 tasks match")
    let rowFiles = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("assets/search").path
    )
    .filter { $0.hasPrefix("d") }
    #expect(rowFiles.count == 6)  // 11 tasks, two a file
  }
}
