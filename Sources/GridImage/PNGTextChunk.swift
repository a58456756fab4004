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

  /// The most bytes of text a quadrant's chunk holds (64 KiB).
  ///
  /// A prompt of megabytes copied into four quadrants and their thumbnails would outgrow what a reader accepts
  /// (`PNGLimits`). The archive keeps the whole text.
  public static let maximumQuadrantTextBytes = 65_536

  /// This chunk with its text cut to at most `maximumBytes` bytes of UTF-8, between two characters, ending with
  /// " […]" when cut.
  public func cut(to maximumBytes: Int = PNGTextChunk.maximumQuadrantTextBytes) -> PNGTextChunk {
    guard text.utf8.count > maximumBytes else { return self }
    let marker = " […]"
    var end = text.utf8.index(text.utf8.startIndex, offsetBy: maximumBytes - marker.utf8.count)
    // Back to the first byte of a character (a UTF-8 continuation byte is 10xxxxxx).
    while end > text.utf8.startIndex && text.utf8[end] & 0xC0 == 0x80 { end = text.utf8.index(before: end) }
    return PNGTextChunk(key: key, text: String(decoding: text.utf8[..<end], as: UTF8.self) + marker)
  }
}
