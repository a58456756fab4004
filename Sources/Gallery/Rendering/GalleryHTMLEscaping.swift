import Mustache

/// HTML escaping for `{{…}}` in the built-in templates (`{{% CONTENT_TYPE: GALLERY_HTML }}`).
///
/// The same five characters as swift-mustache's own (`& < > " '`), found by scanning UTF-8 bytes, and a string
/// without any of them returned as it is. The library's version looks each character up in a dictionary, a tenth
/// of an export's time; templates from `--templates` without the pragma get the library's.
struct GalleryHTMLEscaping: MustacheContentType {
  /// The name the templates' pragma uses.
  static let name = "GALLERY_HTML"

  func escapeText(_ text: String) -> String {
    guard text.utf8.contains(where: Self.needsEscaping) else { return text }
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "&"): output += "&amp;".utf8
      case UInt8(ascii: "<"): output += "&lt;".utf8
      case UInt8(ascii: ">"): output += "&gt;".utf8
      case UInt8(ascii: "\""): output += "&quot;".utf8
      case UInt8(ascii: "'"): output += "&#39;".utf8
      default: output.append(byte)
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static func needsEscaping(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"")
      || byte == UInt8(ascii: "'")
  }
}
