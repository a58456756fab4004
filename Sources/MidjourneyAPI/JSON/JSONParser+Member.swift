import Foundation

extension JSONParser {
  // MARK: - One member

  /// The value of `key` in a top-level JSON object, every other member skipped without being built.
  ///
  /// Reading a task's buttons this way instead of parsing the whole task took a fifth of a gallery export's CPU
  /// down to a few percent. Skipped values are only checked as far as finding their end; where `key` repeats, the
  /// first is taken (a task stored here never repeats one: `GatewayTask` refuses that).
  /// - Returns: The value, or nil when the object has no such member.
  /// - Throws: `JSONParseError` when the input is not an object or breaks off.
  public static func member(_ key: String, of data: Data) throws(JSONParseError) -> JSONValue? {
    var parser = JSONParser(bytes: [UInt8](data))
    parser.skipByteOrderMark()
    parser.skipWhitespace()
    guard parser.peek() == UInt8(ascii: "{") else { throw parser.error("expected a JSON object") }
    parser.index += 1
    parser.depth = 1
    parser.skipWhitespace()
    if parser.peek() == UInt8(ascii: "}") { return nil }
    while true {
      parser.skipWhitespace()
      guard parser.peek() == UInt8(ascii: "\"") else { throw parser.error("expected a string key in an object") }
      let name = try parser.parseString()
      parser.skipWhitespace()
      guard parser.next() == UInt8(ascii: ":") else {
        throw parser.error("expected ':' after an object key", at: parser.index - 1)
      }
      if name == key { return try parser.parseValue() }
      try parser.skipValue()
      parser.skipWhitespace()
      guard let byte = parser.next() else { throw parser.error("unexpected end of input inside an object") }
      if byte == UInt8(ascii: "}") { return nil }
      guard byte == UInt8(ascii: ",") else { throw parser.error("expected ',' or '}'", at: parser.index - 1) }
    }
  }

  /// Moves past one value: strings by their quotes and escapes, containers by their brackets, anything else to the
  /// next delimiter.
  mutating func skipValue() throws(JSONParseError) {
    skipWhitespace()
    guard let first = peek() else { throw error("unexpected end of input") }
    guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else {
      let start = index
      while let byte = peek(), !Self.endsScalar(byte) { index += 1 }
      guard index > start else { throw error("unexpected character \(Self.describe(first))") }
      return
    }
    let outer = depth
    repeat {
      guard let byte = peek() else { throw error("unexpected end of input") }
      switch byte {
      case UInt8(ascii: "\""): try skipString()
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        try enterContainer()
        index += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        index += 1
      default: index += 1
      }
    } while depth > outer
  }

  /// Moves past a string, from its opening quote to just after its closing one.
  mutating func skipString() throws(JSONParseError) {
    index += 1
    while true {
      index = bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: index) }.end
      guard let byte = next() else { throw error("unterminated string") }
      if byte == UInt8(ascii: "\"") { return }
      if byte == UInt8(ascii: "\\") {
        guard next() != nil else { throw error("unterminated escape") }
      } else {
        throw error("control character \(Self.describe(byte)) inside a string", at: index - 1)
      }
    }
  }

  private static func endsScalar(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: " ")
      || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
  }
}
