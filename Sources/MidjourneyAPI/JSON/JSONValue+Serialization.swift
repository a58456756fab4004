extension JSONValue {
  /// Writes the value as compact JSON, number literals exactly as they were read.
  public func serialized() -> String {
    var output = ""
    write(into: &output, indent: nil, level: 0)
    return output
  }

  /// Writes the value as indented JSON for people to read.
  public func prettySerialized() -> String {
    var output = ""
    write(into: &output, indent: "  ", level: 0)
    return output
  }

  private func write(into output: inout String, indent: String?, level: Int) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .number(let literal): output += literal
    case .string(let value): Self.writeString(value, into: &output)
    case .array(let elements):
      if elements.isEmpty {
        output += "[]"
        return
      }
      output += "["
      for (position, element) in elements.enumerated() {
        if position > 0 { output += "," }
        Self.newline(&output, indent: indent, level: level + 1)
        element.write(into: &output, indent: indent, level: level + 1)
      }
      Self.newline(&output, indent: indent, level: level)
      output += "]"
    case .object(let object):
      if object.members.isEmpty {
        output += "{}"
        return
      }
      output += "{"
      for (position, member) in object.members.enumerated() {
        if position > 0 { output += "," }
        Self.newline(&output, indent: indent, level: level + 1)
        Self.writeString(member.key, into: &output)
        output += indent == nil ? ":" : ": "
        member.value.write(into: &output, indent: indent, level: level + 1)
      }
      Self.newline(&output, indent: indent, level: level)
      output += "}"
    }
  }

  private static func newline(_ output: inout String, indent: String?, level: Int) {
    guard let indent else { return }
    output += "\n"
    output += String(repeating: indent, count: level)
  }

  /// Escapes quotes, backslashes, control characters, and `<`, `>`, `&`, U+2028/2029.
  ///
  /// The output is then also safe inside an HTML `<script>` block. Runs that need no escape are copied whole.
  private static func writeString(_ value: String, into output: inout String) {
    output += "\""
    let needsEscape = value.utf8.contains { byte in
      byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0xE2
    }
    guard needsEscape else {
      output += value
      output += "\""
      return
    }
    var run = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
      let escaped: String?
      switch scalar {
      case "\"": escaped = "\\\""
      case "\\": escaped = "\\\\"
      case "\n": escaped = "\\n"
      case "\r": escaped = "\\r"
      case "\t": escaped = "\\t"
      case "<", ">", "&", "\u{2028}", "\u{2029}": escaped = "\\u" + hex4(scalar.value)
      default: escaped = scalar.value < 0x20 ? "\\u" + hex4(scalar.value) : nil
      }
      if let escaped {
        output.unicodeScalars.append(contentsOf: run)
        run = String.UnicodeScalarView()
        output += escaped
      } else {
        run.append(scalar)
      }
    }
    output.unicodeScalars.append(contentsOf: run)
    output += "\""
  }

  private static func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
