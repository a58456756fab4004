import Foundation

/// Names what a file is from its first bytes, for "not a PNG (looks like WEBP)" messages.
public enum FileKind {
  /// `PNG`, `WEBP`, `JPEG`, `GIF`, `an HTML page`, `an empty file`, `JSON`; nil when unknown.
  public static func describe(_ head: Data) -> String? {
    let bytes = [UInt8](head)
    if bytes.isEmpty { return "an empty file" }
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "PNG" }
    if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
      return "WEBP"
    }
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "JPEG" }
    if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
    let text = String(decoding: bytes.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      .lowercased()
    if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") || text.hasPrefix("<head") || text.hasPrefix("<") {
      return "an HTML page"
    }
    if text.hasPrefix("{") || text.hasPrefix("[") { return "JSON" }
    return "something else"
  }
}
