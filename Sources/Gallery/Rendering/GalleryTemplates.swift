import Basics
import Crypto
import Foundation
import MidjourneyAPI
import Mustache

/// The Mustache templates and the stylesheet and scripts, built in, each replaceable by a file of the same name in a
/// `--templates` folder.
struct GalleryTemplates: Sendable {
  /// The files a templates folder may replace, with their built-in text.
  static let builtIn: [(name: String, text: [UInt8])] = [
    ("index.mustache", PackageResources.index_mustache), ("task.mustache", PackageResources.task_mustache),
    ("family.mustache", PackageResources.family_mustache), ("head.mustache", PackageResources.head_mustache),
    ("tile.mustache", PackageResources.tile_mustache), ("link.mustache", PackageResources.link_mustache),
    ("gallery.css", PackageResources.gallery_css), ("gallery.js", PackageResources.gallery_js),
    ("search.js", PackageResources.search_js),
  ]

  /// Largest template file read from a templates folder.
  static let maximumFileBytes = 1 << 20

  let library: MustacheLibrary
  let stylesheet: String
  let script: String
  /// The search, loaded by `script` on first use.
  let searchScript: String
  /// Changes whenever any template, the stylesheet or the script changes.
  let fingerprint: String
  /// True when no `.mustache` file was replaced, so pages may be written by `BuiltInPageRenderer`.
  let pagesAreBuiltIn: Bool

  /// The built-in files, with those in `folder` taking their place.
  ///
  /// - Throws: `GalleryError.badTemplate` naming the file that cannot be read or parsed.
  init(overriddenBy folder: URL?) throws(GalleryError) {
    if let folder {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
        throw GalleryError.badTemplate(file: folder.path, reason: "no such folder")
      }
    }
    var texts: [String: String] = [:]
    var hasher = SHA256()
    var pagesAreBuiltIn = true
    for (name, builtIn) in Self.builtIn {
      var text = String(decoding: builtIn, as: UTF8.self)
      if let file = folder?.appendingPathComponent(name), FileManager.default.fileExists(atPath: file.path) {
        text = try Self.read(file)
        if name.hasSuffix(".mustache") { pagesAreBuiltIn = false }
      }
      texts[name] = text
      hasher.update(data: Data("\(name)\u{0}\(text)\u{0}".utf8))
    }
    MustacheContentTypes.register(GalleryHTMLEscaping(), named: GalleryHTMLEscaping.name)
    var library = MustacheLibrary()
    for (name, text) in texts where name.hasSuffix(".mustache") {
      do {
        try library.register(text, named: String(name.dropLast(".mustache".count)))
      } catch {
        let file = folder.map { $0.appendingPathComponent(name).path } ?? name
        throw GalleryError.badTemplate(file: file, reason: Self.describe(error))
      }
    }
    self.library = library
    stylesheet = texts["gallery.css"] ?? ""
    script = texts["gallery.js"] ?? ""
    searchScript = texts["search.js"] ?? ""
    fingerprint = hasher.finalize().lowercaseHex
    self.pagesAreBuiltIn = pagesAreBuiltIn
  }

  /// Renders the template `name` (index, task or family) with `context`: in Swift when the page templates are the
  /// built-in ones (`BuiltInPageRenderer`), else through Mustache.
  func render(_ name: String, _ context: [String: Any]) -> String {
    if pagesAreBuiltIn, let page = BuiltInPageRenderer.render(name, context) { return page }
    return renderThroughMustache(name, context)
  }

  /// Renders the template `name` through Mustache, whichever templates are in use.
  func renderThroughMustache(_ name: String, _ context: [String: Any]) -> String {
    library.render(context, withTemplate: name) ?? ""
  }

  private static func read(_ file: URL) throws(GalleryError) -> String {
    guard let data = FileManager.default.contents(atPath: file.path) else {
      throw GalleryError.badTemplate(file: file.path, reason: "it cannot be read")
    }
    guard data.count <= maximumFileBytes else {
      throw GalleryError.badTemplate(file: file.path, reason: "it is larger than 1 MB")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw GalleryError.badTemplate(file: file.path, reason: "it is not UTF-8 text")
    }
    return text
  }

  /// A Mustache parser error in one line: where, and what, in words (not the library's debug structure).
  static func describe(_ error: any Error) -> String {
    let (context, cause): (MustacheParserContext?, any Error) =
      if let error = error as? MustacheTemplate.ParserError {
        (error.context, error.error)
      } else if let error = error as? MustacheLibrary.ParserError {
        (error.context, error.error)
      } else {
        (nil, error)
      }
    let what: String =
      switch cause as? MustacheTemplate.Error {
      case .sectionCloseNameIncorrect?: "a section is closed with another name than it was opened with"
      case .unfinishedName?: "a tag is not closed"
      case .expectedSectionEnd?: "a section is not closed"
      case .invalidSetDelimiter?: "a set-delimiter tag is badly formed"
      case .transformAppliedToInheritanceSection?: "a transform is applied to an inherited section"
      case .illegalTokenInsideInheritSection?, .textInsideInheritSection?: "an inherited section holds more than blocks"
      case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "a configuration tag is not understood"
      // The reader's own (internal) error: it ran off the end of the text.
      case nil: String(describing: cause) == "overflow" ? "the template ends inside a tag" : "it cannot be parsed"
      }
    guard let context else { return "Mustache syntax: \(what)" }
    return "Mustache syntax at line \(context.lineNumber), column \(context.columnNumber): \(what)"
  }
}
