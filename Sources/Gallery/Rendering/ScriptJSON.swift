/// JSON that is safe inside an HTML `<script>` element and in a `.js` file: `<`, `>`, `&`, `'`, U+2028 and U+2029
/// are written as `\uXXXX`, so no value can close the element (`</script>`), open a comment (`<!--`) or end a line
/// inside a string.
enum ScriptJSON {
  /// A value made of dictionaries (keys sorted), arrays, strings, integers, booleans and nil.
  static func encode(_ value: Any?) -> String {
    var output = ""
    append(value, to: &output)
    return output
  }

  static func append(_ value: Any?, to output: inout String) {
    switch value {
    case nil:
      output += "null"
    case let string as String:
      appendString(string, to: &output)
    case let number as Int:
      output += String(number)
    case let number as Int64:
      output += String(number)
    case let flag as Bool:
      output += flag ? "true" : "false"
    case let list as [Any?]:
      output += "["
      for (offset, element) in list.enumerated() {
        if offset > 0 { output += "," }
        append(element, to: &output)
      }
      output += "]"
    case let object as [String: Any?]:
      output += "{"
      for (offset, key) in object.keys.sorted().enumerated() {
        if offset > 0 { output += "," }
        appendString(key, to: &output)
        output += ":"
        append(object[key] ?? nil, to: &output)
      }
      output += "}"
    default:
      output += "null"
    }
  }

  static func appendString(_ string: String, to output: inout String) {
    output += "\""
    var plain = Substring.UnicodeScalarView()
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output.unicodeScalars += plain; plain = .init(); output += "\\\""
      case "\\": output.unicodeScalars += plain; plain = .init(); output += "\\\\"
      case "\n": output.unicodeScalars += plain; plain = .init(); output += "\\n"
      case "<", ">", "&", "'", "\u{2028}", "\u{2029}":
        output.unicodeScalars += plain
        plain = .init()
        output += escaped(scalar)
      case _ where scalar.value < 0x20:
        output.unicodeScalars += plain
        plain = .init()
        output += escaped(scalar)
      default:
        plain.append(scalar)
      }
    }
    output.unicodeScalars += plain
    output += "\""
  }

  private static func escaped(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }
}
