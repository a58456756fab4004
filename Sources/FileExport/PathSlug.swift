import Foundation

/// Text made safe as (part of) a file name on every file system: what the gateway says is hostile.
enum PathSlug {
  /// Names Windows refuses for a file whatever its extension.
  private static let reservedNames: Set<String> = Set(
    ["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
  /// Most bytes of one name: below 255 with room for the `.<name>.<random>.tmp` a write goes through.
  static let maximumNameBytes = 200

  /// Letters, digits and marks of any script kept (lower-cased, NFC), every run of anything else one `-`, no `-` at
  /// either end, cut between characters to at most `maximumBytes` of UTF-8; `fallback` when nothing is left.
  static func slug(_ text: String, maximumBytes: Int, fallback: String) -> String {
    var slug = ""
    var pendingDash = false
    for scalar in text.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
      let properties = scalar.properties
      let kept =
        properties.isAlphabetic || properties.numericType != nil
        || [.nonspacingMark, .spacingMark, .enclosingMark].contains(properties.generalCategory)
      guard kept else {
        pendingDash = !slug.isEmpty
        continue
      }
      if pendingDash { slug.unicodeScalars.append("-") }
      pendingDash = false
      slug.unicodeScalars.append(scalar)
    }
    let cut = prefix(slug, maximumBytes: maximumBytes)
    let trimmed = cut.hasSuffix("-") ? String(cut.dropLast()) : cut
    return trimmed.isEmpty ? fallback : trimmed
  }

  /// The longest run of whole characters from the start of `text` within `maximumBytes` of UTF-8.
  static func prefix(_ text: String, maximumBytes: Int) -> String {
    guard text.utf8.count > maximumBytes else { return text }
    var result = ""
    var bytes = 0
    for character in text {
      let size = character.utf8.count
      guard bytes + size <= maximumBytes else { break }
      result.append(character)
      bytes += size
    }
    return result
  }

  /// One rendered part of a path made safe: no trailing dots or spaces (Windows drops them), no leading dot (hidden,
  /// and the export's own files start with one), no reserved Windows name, at most `maximumNameBytes` (cut before
  /// the extension).
  static func safeName(_ name: String) -> String {
    var name = name
    while let last = name.last, last == "." || last == " " { name.removeLast() }
    if name.isEmpty { return "_" }
    if name.hasPrefix(".") { name = "_" + name }
    let stem = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
    if reservedNames.contains(stem.uppercased().trimmingCharacters(in: .whitespaces)) { name = "_" + name }
    guard name.utf8.count > maximumNameBytes else { return name }
    let dot = name.lastIndex(of: ".")
    let fileExtension = dot.map { String(name[$0...]) } ?? ""
    let keep = fileExtension.utf8.count < 16 ? fileExtension : ""
    let stemPart = dot.map { String(name[..<$0]) } ?? name
    return prefix(stemPart, maximumBytes: maximumNameBytes - keep.utf8.count) + keep
  }
}
