import Foundation
import TestSupport
import Testing

@testable import Gallery

/// The exported gallery opened over file:// in Debian's headless Chromium, driven through the DevTools protocol:
/// what a person sees and does, checked in the DOM, with no console errors and no request leaving the disk.
@Suite(.serialized) struct GalleryBrowserTests {
  /// Where screenshots are kept: `$MJARCHIVE_TEST_ARTIFACTS`, else `.build/test-artifacts` in the package.
  static var artifacts: URL {
    if let folder = ProcessInfo.processInfo.environment["MJARCHIVE_TEST_ARTIFACTS"] {
      return URL(fileURLWithPath: folder)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../.build/test-artifacts"
    ).standardizedFileURL
  }

  /// Runs the steps (see TestSupport's Browser/browse.py) in a fresh headless Chromium.
  static func browse(_ steps: [[String: Any]]) async throws -> BrowserSession {
    try await BrowserSession.run(steps)
  }

  static func exported() throws -> (SampleArchive, URL) {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    var options = GalleryOptions()
    options.title = "Browser test"
    _ = try GalleryExporter(store: archive.store, options: options).export(to: folder)
    return (archive, folder)
  }

  static func ids(_ selector: String) -> [String: Any] {
    ["eval": "Array.from(document.querySelectorAll('\(selector)')).map(tile => tile.dataset.id)"]
  }

  static func expectClean(_ session: BrowserSession) {
    #expect(session.console == [], "console: \(session.console)")
    let offDisk = session.requests.filter { !$0.hasPrefix("file://") && !$0.hasPrefix("data:") }
    #expect(offDisk == [], "requests that left the disk: \(offDisk)")
  }

  @Test func theIndexShowsTilesAndTypingNarrowsThem() async throws {
    let (archive, folder) = try Self.exported()
    _ = archive
    try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
    let screenshot = Self.artifacts.appendingPathComponent("gallery-index.png").path
    let index = folder.appendingPathComponent("index.html").absoluteString
    let session = try await Self.browse([
      ["open": index],
      Self.ids("#pages .tile"),
      ["eval": "document.querySelectorAll('#pages .tile img').length"],
      ["screenshot": screenshot],
      ["key": "/"],
      ["eval": "document.activeElement.id"],
      ["type": "cat"],
      [
        "waitFor":
          "!document.getElementById('results').hidden && document.querySelectorAll('#result-tiles .tile').length > 0"
      ],
      Self.ids("#result-tiles .tile"),
      ["eval": "document.getElementById('pages').hidden"],
      // A CJK word matches inside a run of Han characters, as `mjarchive search` does.
      [
        "eval":
          "document.getElementById('q').value = '黑猫'; document.getElementById('q').dispatchEvent(new Event('input')); true"
      ],
      ["waitFor": "document.querySelectorAll('#result-tiles .tile').length === 1"],
      Self.ids("#result-tiles .tile"),
      // A filter alone: aspect ratio 16:9.
      [
        "eval":
          "document.getElementById('results-title').textContent = ''; document.getElementById('q').value = ''; var ar = document.getElementById('f-ar'); ar.value = '16:9'; ar.dispatchEvent(new Event('change')); true"
      ],
      ["waitFor": "document.getElementById('results-title').textContent === '1 task matches'"],
      Self.ids("#result-tiles .tile"),
      ["screenshot": Self.artifacts.appendingPathComponent("gallery-search.png").path],
    ])
    Self.expectClean(session)
    let values = session.values
    #expect(values.count == 17)
    guard values.count == 17 else { return }
    let tiles = values[1] as? [String] ?? []
    #expect(tiles.count == 7)
    #expect(tiles.first == SampleArchive.mixedCase)  // newest first
    #expect(values[2] as? Int == 4 + 1 + 0)  // the grid's four quadrant thumbnails, the upscale's thumbnail
    #expect(FileManager.default.fileExists(atPath: screenshot))
    #expect(values[5] as? String == "q")
    #expect(values[7] as? Bool == true)
    #expect(Set(values[8] as? [String] ?? []) == [SampleArchive.imagine, SampleArchive.upscale])
    #expect(values[9] as? Bool == true)
    #expect(values[12] as? [String] == [SampleArchive.cjkPrompt])
    #expect(values[15] as? [String] == [SampleArchive.svgPrompt])
  }

  @Test func aTaskPageShowsItsQuadrantsAndLineageAndArrowsMoveOn() async throws {
    let (archive, folder) = try Self.exported()
    _ = archive
    let page = folder.appendingPathComponent(PageNames.taskPage(SampleArchive.imagine)).absoluteString
    let session = try await Self.browse([
      ["open": page],
      ["eval": "document.querySelectorAll('.quadrant img').length"],
      [
        "eval":
          "Array.from(document.querySelectorAll('.quadrant img')).every(image => image.complete && image.naturalWidth > 0)"
      ],
      ["eval": "document.querySelector('.quadrant.upscaled .upscale').getAttribute('href')"],
      ["eval": "Array.from(document.querySelectorAll('.lineage .tiles a')).map(link => link.textContent.trim())"],
      ["eval": "document.querySelector('.lineage a[href*=\"/f/\"]') !== null"],
      ["screenshot": Self.artifacts.appendingPathComponent("gallery-task.png").path],
      ["key": "ArrowLeft"],
      ["waitFor": "location.href.indexOf('\(PageNames.taskPage(SampleArchive.upscale))') >= 0"],
      ["open": folder.appendingPathComponent(PageNames.taskPage(SampleArchive.scriptPrompt)).absoluteString],
      ["eval": "document.querySelector('#prompt-text').textContent"],
      ["eval": "document.querySelectorAll('img[src=x], svg').length"],
    ])
    Self.expectClean(session)
    let values = session.values
    #expect(values.count == 12)
    guard values.count == 12 else { return }
    #expect(values[1] as? Int == 4)
    #expect(values[2] as? Bool == true)
    #expect(values[3] as? String == "../../\(PageNames.taskPage(SampleArchive.upscale))")
    #expect((values[4] as? [String] ?? []).first?.contains("U2 · UPSCALE \(SampleArchive.upscale)") == true)
    #expect(values[5] as? Bool == true)
    #expect(values[8] as? Bool == true)  // ArrowLeft went to the newer task: the upscale
    #expect(values[10] as? String == "</script><img src=x onerror=alert(1)> a fox")
    #expect(values[11] as? Int == 0)
  }

  @Test func indexTilesAreReachableByKeyboardAndReadableWithoutScript() async throws {
    let (archive, folder) = try Self.exported()
    _ = archive
    let session = try await Self.browse([
      ["open": folder.appendingPathComponent("index.html").absoluteString],
      ["key": "ArrowRight"],
      ["eval": "document.activeElement.closest('.tile').dataset.id"],
      ["key": "ArrowRight"],
      ["eval": "document.activeElement.closest('.tile').dataset.id"],
      ["eval": "getComputedStyle(document.activeElement.querySelector('.caption')).opacity"],
      ["eval": "Array.from(document.querySelectorAll('img')).filter(image => !image.alt).length"],
      [
        "eval":
          "Array.from(document.querySelectorAll('input, select')).filter(control => !document.querySelector('label[for=\"' + control.id + '\"]')).length"
      ],
    ])
    Self.expectClean(session)
    let values = session.values
    #expect(values.count == 8)
    guard values.count == 8 else { return }
    #expect(values[2] as? String == SampleArchive.mixedCase)
    #expect(values[4] as? String == SampleArchive.cjkPrompt)
    #expect(values[6] as? Int == 0)  // every image has alt text
    #expect(values[7] as? Int == 0)  // every control has a label
    // Without script the index is plain HTML: every tile is a link to its task page, and the search form stays hidden.
    let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html.contains("<form class=\"search\" role=\"search\" hidden>"))
    #expect(html.contains("href=\"\(PageNames.taskPage(SampleArchive.imagine))\""))
  }
}
