/// JSON that is safe inside an HTML `<script>` element and in a `.js` file.
///
/// `<`, `>`, `&`, `'`, U+2028 and U+2029
/// are written as `\uXXXX`, so no value can close the element (`</script>`), open a comment (`<!--`) or end a line
/// inside a string. Written as UTF-8 bytes, so a 30 MB search index is built in one pass.
enum ScriptJSON {
  /// A value made of dictionaries (keys sorted), arrays, strings, integers, booleans and nil.
  static func encode(_ value: Any?) -> String {
    var output: [UInt8] = []
    append(value, to: &output)
    return String(decoding: output, as: UTF8.self)
  }

  static func append(_ value: Any?, to output: inout [UInt8]) {
    switch value {
    case nil:
      output += "null".utf8
    case let string as String:
      appendString(string, to: &output)
    case let number as Int:
      output += String(number).utf8
    case let number as Int64:
      output += String(number).utf8
    case let flag as Bool:
      output += (flag ? "true" : "false").utf8
    case let list as [Any?]:
      output.append(UInt8(ascii: "["))
      for (offset, element) in list.enumerated() {
        if offset > 0 { output.append(UInt8(ascii: ",")) }
        append(element, to: &output)
      }
      output.append(UInt8(ascii: "]"))
    case let object as [String: Any?]:
      output.append(UInt8(ascii: "{"))
      for (offset, key) in object.keys.sorted().enumerated() {
        if offset > 0 { output.append(UInt8(ascii: ",")) }
        appendString(key, to: &output)
        output.append(UInt8(ascii: ":"))
        append(object[key] ?? nil, to: &output)
      }
      output.append(UInt8(ascii: "}"))
    default:
      output += "null".utf8
    }
  }

  static func appendString(_ string: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    let bytes = Array(string.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""): output += #"\""#.utf8
      case UInt8(ascii: "\\"): output += #"\\"#.utf8
      case UInt8(ascii: "\n"): output += #"\n"#.utf8
      case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "'"), 0..<0x20:
        escape(UInt32(byte), to: &output)
      case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] & 0xFE) == 0xA8:
        // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR end a line in older JavaScript.
        escape(0x2028 + UInt32(bytes[index + 2] & 1), to: &output)
        index += 2
      default:
        output.append(byte)
      }
      index += 1
    }
    output.append(UInt8(ascii: "\""))
  }

  private static func escape(_ value: UInt32, to output: inout [UInt8]) {
    let digits = Array("0123456789abcdef".utf8)
    output += #"\u"#.utf8
    for shift in stride(from: 12, through: 0, by: -4) { output.append(digits[Int((value >> UInt32(shift)) & 0xF)]) }
  }
}
