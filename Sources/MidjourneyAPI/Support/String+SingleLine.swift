extension String {
  /// The text made safe for one line of terminal output: control characters (escape sequences,
  /// line breaks) become spaces and anything past `limit` characters is cut with an ellipsis.
  public func singleLine(limit: Int = 200) -> String {
    var output = String.UnicodeScalarView()
    for scalar in unicodeScalars {
      let isControl = scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
      let isSeparator = scalar == "\u{2028}" || scalar == "\u{2029}"
      output.append(isControl || isSeparator ? " " : scalar)
    }
    let text = String(output)
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + "…"
  }
}
