/// Where an exported file goes: a template such as `{year}/{month}/{date}_{prompt:48}_{id}{-part}.{ext}`.
///
/// The template's own text is the user's and is checked when it is read; every value put into it comes from the
/// archive (from the gateway) and is slugged, so no value can add a folder, leave the export or name a device.
public struct FileLayout: Sendable, Equatable {
  /// A value the template can name.
  public enum Field: String, Sendable, CaseIterable {
    case year, month, day, date, time, prompt, id, action, kind, part, dashPart = "-part", ext, job
  }

  enum Piece: Sendable, Equatable {
    case text(String)
    case field(Field, maximumBytes: Int?)
  }

  /// The default: year and month folders, then date, the prompt's first 48 bytes, the task and its quadrant.
  public static let standard = "{year}/{month}/{date}_{prompt:48}_{id}{-part}.{ext}"
  /// Characters no template text may hold: Windows refuses them in names, and `\` is a separator there.
  private static let refused: Set<Character> = ["\\", "<", ">", ":", "\"", "|", "?", "*"]

  public let template: String
  let pieces: [Piece]

  /// Reads a template.
  ///
  /// - Throws: `FileExportError.badLayout` naming what is wrong: an unknown field, `..`, an absolute path, a
  ///   character some file system refuses, an unclosed brace.
  public init(_ template: String = FileLayout.standard) throws(FileExportError) {
    func refuse(_ reason: String) -> FileExportError { .badLayout(template: template, reason: reason) }
    guard !template.isEmpty else { throw refuse("it is empty") }
    guard !template.hasPrefix("/") else { throw refuse("it is an absolute path; give a path inside the folder") }
    guard !template.hasSuffix("/") else { throw refuse("it ends with /, so it names a folder, not a file") }
    var pieces: [Piece] = []
    var rest = Substring(template)
    while let brace = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
      if brace > rest.startIndex { pieces.append(.text(String(rest[..<brace]))) }
      guard rest[brace] == "{", let close = rest[brace...].firstIndex(of: "}") else {
        throw refuse("a { or } does not pair up")
      }
      let inside = rest[rest.index(after: brace)..<close]
      let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      guard let field = Field(rawValue: String(parts[0])) else {
        let known = Field.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
        throw refuse("{\(inside)} is not a field (known: \(known))")
      }
      var limit: Int?
      if parts.count == 2 {
        guard let number = Int(parts[1]), (1...PathSlug.maximumNameBytes).contains(number) else {
          throw refuse("the limit in {\(inside)} is not a number from 1 to \(PathSlug.maximumNameBytes)")
        }
        limit = number
      }
      pieces.append(.field(field, maximumBytes: limit))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { pieces.append(.text(String(rest))) }
    for case .text(let text) in pieces {
      if let bad = text.first(where: { Self.refused.contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 } }) {
        throw refuse(
          "it holds \(bad.unicodeScalars.first.map { $0.value < 0x20 ? "a control character" : "\"\(bad)\"" } ?? ""), which some file systems refuse"
        )
      }
    }
    let literalParts = pieces.map { piece in
      if case .text(let text) = piece { return text }
      return "\u{1}"  // a field: never empty, never a dot
    }.joined().split(separator: "/", omittingEmptySubsequences: false)
    if literalParts.contains(where: { $0 == ".." || $0 == "." }) {
      throw refuse("it holds . or .., which leave the folder")
    }
    if literalParts.contains(where: \.isEmpty) { throw refuse("it holds an empty folder name (//)") }
    self.template = template
    self.pieces = pieces
  }

  /// The relative path for a file with these values (as the archive holds them: each is slugged here, a missing
  /// one is empty), each part of it made safe.
  func path(_ values: [Field: String]) -> String {
    var rendered = ""
    for piece in pieces {
      switch piece {
      case .text(let text): rendered += text
      case .field(.dashPart, let limit):
        let part = PathSlug.slug(values[.part] ?? "", maximumBytes: limit ?? 64, fallback: "")
        rendered += part.isEmpty ? "" : "-" + part
      case .field(let field, let limit):
        rendered += PathSlug.slug(
          values[field] ?? "", maximumBytes: limit ?? (field == .prompt ? 80 : 64),
          fallback: field == .prompt ? "untitled" : field == .id ? "unknown" : "")
      }
    }
    return rendered.split(separator: "/", omittingEmptySubsequences: false).map { PathSlug.safeName(String($0)) }
      .joined(separator: "/")
  }
}
