import Foundation

extension JSONParser {
  // MARK: - Bytes

  mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
    let start = index
    for byte in literal.utf8 {
      guard next() == byte else { throw error("unexpected character \(Self.describe(bytes[start]))", at: start) }
    }
  }

  mutating func expectEnd() throws(JSONParseError) {
    skipWhitespace()
    if let byte = peek() {
      throw error("unexpected \(Self.describe(byte)) after the end of the JSON value")
    }
  }

  mutating func skipByteOrderMark() {
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
  }

  mutating func skipWhitespace() {
    while let byte = peek(),
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        || byte == UInt8(ascii: "\t")
    {
      index += 1
    }
  }

  func peek() -> UInt8? {
    index < bytes.count ? bytes[index] : nil
  }

  mutating func next() -> UInt8? {
    guard index < bytes.count else { return nil }
    defer { index += 1 }
    return bytes[index]
  }

  func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
    JSONParseError(offset: offset ?? index, reason: reason, atEnd: (offset ?? index) >= bytes.count)
  }

  static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  static func describe(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }
}
