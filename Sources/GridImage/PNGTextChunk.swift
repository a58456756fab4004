/// A text chunk to write: iTXt for UTF-8 text, tEXt when the text is plain Latin-1.
public struct PNGTextChunk: Sendable, Equatable {
  /// Keyword, 1–79 Latin-1 characters, such as `Description` or `mjarchive:task-id`.
  public var key: String
  public var text: String

  public init(key: String, text: String) {
    self.key = key
    self.text = text
  }

  /// True when the text needs iTXt (anything outside printable ASCII and newlines).
  var isInternational: Bool {
    text.unicodeScalars.contains { $0.value > 0x7E || ($0.value < 0x20 && $0 != "\n") }
  }
}
