import ArchiveStore
import Foundation
import MidjourneyAPI
import TestSupport
import Testing

@testable import Gallery

/// The built-in pages written in Swift are the bytes Mustache writes from the same templates.
@Suite struct BuiltInPageRendererTests {
  /// The sample archive with similar pictures, plus a chain of variations deeper than the family page indents.
  private static func archive() throws -> SampleArchive {
    let archive = try SimilarStripTests.archive()
    var parent = SampleArchive.imagine
    for step in 1...(PageBuilder.maximumIndent + 3) {
      let id = "20000000000000\(String(format: "%02d", step))"
      guard
        var object = try SampleArchive.task(
          id, prompt: "a <b>chain</b> & \"step\" \(step)", time: 1_741_900_000_000 + Int64(step) * 60_000
        ).json.objectValue
      else { throw CocoaError(.fileReadCorruptFile) }
      object["action"] = "VARIATION"
      object["parentId"] = .string(parent)
      if step % 2 == 0 { object["status"] = "IN_PROGRESS"; object["progress"] = "40%" }
      let value = JSONValue.object(object)
      try archive.store.store(try GatewayTask(json: value, raw: Data(value.serialized().utf8)))
      parent = id
    }
    return archive
  }

  /// Every page file under `folder`, by path.
  private static func pages(_ folder: URL) throws -> [String: Data] {
    var pages: [String: Data] = [:]
    for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where path.hasSuffix(".html") {
      pages[path] = try Data(contentsOf: folder.appendingPathComponent(path))
    }
    return pages
  }

  /// A templates folder holding the built-in `.mustache` files as they are: pages then go through Mustache.
  private static func builtInTemplates(in archive: SampleArchive) throws -> URL {
    let folder = archive.galleryFolder("templates-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in GalleryTemplates.builtIn where name.hasSuffix(".mustache") {
      try Data(text).write(to: folder.appendingPathComponent(name))
    }
    return folder
  }

  @Test(arguments: [nil, 2, 500] as [Int?])
  func everyPageIsTheBytesMustacheWrites(pageSize: Int?) throws {
    let archive = try Self.archive()
    let templates = try Self.builtInTemplates(in: archive)
    let change: (inout GalleryOptions) -> Void = { options in
      if let pageSize { options.pageSize = pageSize }
    }
    let typed = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: typed, change)
    #expect(try GalleryTemplates(overriddenBy: nil).pagesAreBuiltIn)
    #expect(try !GalleryTemplates(overriddenBy: templates).pagesAreBuiltIn)
    let throughMustache = archive.galleryFolder()
    try GalleryExporterTests.export(archive, to: throughMustache) { options in
      change(&options)
      options.templates = templates
    }
    let (ours, theirs) = (try Self.pages(typed), try Self.pages(throughMustache))
    #expect(ours.count > 30)
    #expect(ours.keys.sorted() == theirs.keys.sorted())
    for (path, page) in ours.sorted(by: { $0.key < $1.key }) where theirs[path] != page {
      Issue.record(
        "\(path) differs:\n\(String(decoding: page, as: UTF8.self))\n---\n\(String(decoding: theirs[path] ?? Data(), as: UTF8.self))"
      )
      break
    }
    let family = try #require(
      ours.first { $0.key.hasPrefix("f/") && String(decoding: $0.value, as: UTF8.self).contains("class=\"depth\"") })
    #expect(!family.value.isEmpty)
  }

  @Test func anEmptyGalleryIsTheBytesMustacheWrites() throws {
    let archive = try SampleArchive()
    let templates = try Self.builtInTemplates(in: archive)
    let (typed, throughMustache) = (archive.galleryFolder(), archive.galleryFolder())
    try GalleryExporterTests.export(archive, to: typed) { $0.query = SearchQuery(text: "nothingmatchesthis") }
    try GalleryExporterTests.export(archive, to: throughMustache) {
      $0.query = SearchQuery(text: "nothingmatchesthis")
      $0.templates = templates
    }
    let page = try #require(try Self.pages(typed)["index.html"])
    #expect(String(decoding: page, as: UTF8.self).contains("No tasks to show."))
    #expect(page == (try Self.pages(throughMustache))["index.html"])
  }
}
