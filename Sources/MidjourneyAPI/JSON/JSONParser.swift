import Foundation

/// A strict RFC 8259 parser that keeps number literals exact and can report where each array element lies in the input.
///
/// Everything it reads comes from the network, so it never traps: bad input, too deep nesting
/// and invalid UTF-8 all end in a `JSONParseError` naming the byte offset.
public struct JSONParser {
  /// Deepest nesting accepted; deeper input is refused instead of exhausting the stack.
  public static let maximumDepth = 200

  let bytes: [UInt8]
  var index = 0
  var depth = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// Parses one complete JSON document.
  ///
  /// - Parameter data: The document; surrounding whitespace is allowed, anything else after the value is not.
  /// - Returns: The parsed value.
  /// - Throws: `JSONParseError` for any malformed input.
  public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
    try parse(bytes: [UInt8](data))
  }

  /// Parses one complete JSON document held in an array of bytes.
  public static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipByteOrderMark()
    let value = try parser.parseValue()
    try parser.expectEnd()
    return value
  }

  /// Parses a top-level JSON array and returns each element with the exact bytes it was written as.
  ///
  /// - Parameter data: A document whose top-level value is an array.
  /// - Returns: The elements in order, each with its parsed value and its raw bytes.
  /// - Throws: `JSONParseError` when the input is malformed or not an array.
  public static func parseArrayElements(_ data: Data) throws(JSONParseError) -> [(value: JSONValue, raw: Data)] {
    try parseArrayElements(data, limit: .max).elements
  }

  /// Parses at most `limit` elements of a top-level JSON array, each with its exact bytes; `cut` is true when more
  /// followed, which are not read at all (an answer far longer than asked for never costs its length in memory).
  ///
  /// - Throws: `JSONParseError` when the part read is malformed or the input is not an array.
  public static func parseArrayElements(_ data: Data, limit: Int) throws(JSONParseError) -> (
    elements: [(value: JSONValue, raw: Data)], cut: Bool
  ) {
    var parser = JSONParser(bytes: [UInt8](data))
    parser.skipByteOrderMark()
    parser.skipWhitespace()
    guard parser.peek() == UInt8(ascii: "[") else {
      throw parser.error("expected a JSON array")
    }
    parser.index += 1
    parser.depth = 1
    var elements: [(value: JSONValue, raw: Data)] = []
    parser.skipWhitespace()
    if parser.peek() == UInt8(ascii: "]") {
      parser.index += 1
    } else {
      while true {
        parser.skipWhitespace()
        if elements.count == limit { return (elements, true) }
        let start = parser.index
        let value = try parser.parseValue()
        elements.append((value, Data(parser.bytes[start..<parser.index])))
        parser.skipWhitespace()
        guard let byte = parser.next() else { throw parser.error("unexpected end of input inside an array") }
        if byte == UInt8(ascii: "]") { break }
        guard byte == UInt8(ascii: ",") else { throw parser.error("expected ',' or ']'", at: parser.index - 1) }
      }
    }
    try parser.expectEnd()
    return (elements, false)
  }

  // MARK: - Values

  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    skipWhitespace()
    guard let byte = peek() else { throw error("unexpected end of input") }
    switch byte {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw error("unexpected character \(Self.describe(byte))")
    }
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    index += 1
    var members: [JSONObject.Member] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(JSONObject(members))
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
      let key = try parseString()
      skipWhitespace()
      guard next() == UInt8(ascii: ":") else { throw error("expected ':' after an object key", at: index - 1) }
      let value = try parseValue()
      members.append(JSONObject.Member(key: key, value: value))
      skipWhitespace()
      guard let byte = next() else { throw error("unexpected end of input inside an object") }
      if byte == UInt8(ascii: "}") { break }
      guard byte == UInt8(ascii: ",") else { throw error("expected ',' or '}'", at: index - 1) }
    }
    depth -= 1
    return .object(JSONObject(members))
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enterContainer()
    index += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(elements)
    }
    while true {
      elements.append(try parseValue())
      skipWhitespace()
      guard let byte = next() else { throw error("unexpected end of input inside an array") }
      if byte == UInt8(ascii: "]") { break }
      guard byte == UInt8(ascii: ",") else { throw error("expected ',' or ']'", at: index - 1) }
    }
    depth -= 1
    return .array(elements)
  }

  mutating func enterContainer() throws(JSONParseError) {
    depth += 1
    if depth > Self.maximumDepth {
      throw error("nesting deeper than \(Self.maximumDepth) levels")
    }
  }

  mutating func parseNumber() throws(JSONParseError) -> String {
    let start = index
    if peek() == UInt8(ascii: "-") { index += 1 }
    guard let first = peek(), Self.isDigit(first) else { throw error("expected a digit") }
    index += 1
    if first != UInt8(ascii: "0") {
      while let byte = peek(), Self.isDigit(byte) { index += 1 }
    }
    if peek() == UInt8(ascii: ".") {
      index += 1
      try consumeDigits()
    }
    if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      index += 1
      if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
      try consumeDigits()
    }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  mutating func consumeDigits() throws(JSONParseError) {
    guard let byte = peek(), Self.isDigit(byte) else { throw error("expected a digit") }
    while let byte = peek(), Self.isDigit(byte) { index += 1 }
  }

  mutating func parseString() throws(JSONParseError) -> String {
    index += 1  // opening quote
    var result = ""
    while true {
      let runStart = index
      // The run up to the next quote, backslash or control character, noting whether it is all ASCII.
      let (runEnd, ascii) = bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: runStart) }
      index = runEnd
      guard let byte = peek() else { throw error("unterminated string") }
      if byte < 0x20 { throw error("control character \(Self.describe(byte)) inside a string") }
      try appendRun(from: runStart, to: runEnd, ascii: ascii, into: &result)
      index += 1
      if byte == UInt8(ascii: "\"") { return result }
      result.unicodeScalars.append(try parseEscape())
    }
  }

  /// Appends a run of raw string bytes in one piece, refusing invalid UTF-8 rather than silently replacing it.
  ///
  /// An all-ASCII run is valid UTF-8 as it stands, so it skips validation (most of a task's text).
  func appendRun(from start: Int, to end: Int, ascii: Bool, into result: inout String) throws(JSONParseError) {
    guard start < end else { return }
    let text = bytes.withUnsafeBufferPointer { buffer in
      let run = UnsafeBufferPointer(rebasing: buffer[start..<end])
      return ascii ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
    }
    guard let text else { throw error("invalid UTF-8 inside a string", at: start) }
    if result.isEmpty {
      result = text
    } else {
      result += text
    }
  }

  mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
    guard let byte = next() else { throw error("unterminated escape") }
    switch byte {
    case UInt8(ascii: "\""): return "\""
    case UInt8(ascii: "\\"): return "\\"
    case UInt8(ascii: "/"): return "/"
    case UInt8(ascii: "b"): return "\u{08}"
    case UInt8(ascii: "f"): return "\u{0C}"
    case UInt8(ascii: "n"): return "\n"
    case UInt8(ascii: "r"): return "\r"
    case UInt8(ascii: "t"): return "\t"
    case UInt8(ascii: "u"):
      let unit = try parseHex4()
      if UTF16.isLeadSurrogate(unit) {
        guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else {
          throw error("unpaired UTF-16 surrogate in \\u escape")
        }
        let trail = try parseHex4()
        guard UTF16.isTrailSurrogate(trail) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
        let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00)
        guard let scalar = Unicode.Scalar(value) else { throw error("invalid \\u escape") }
        return scalar
      }
      guard let scalar = Unicode.Scalar(unit) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
      return scalar
    default:
      throw error("invalid escape \\\(Self.describe(byte))", at: index - 1)
    }
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt16 {
    var value: UInt16 = 0
    for _ in 0..<4 {
      guard let byte = next() else { throw error("unterminated \\u escape") }
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("invalid hex digit in \\u escape", at: index - 1)
      }
      value = value << 4 | UInt16(digit)
    }
    return value
  }

}
