extension String {
  /// The text made safe for one line of terminal output: control characters (escape sequences,
  /// line breaks) become spaces, bidirectional overrides and isolates (which could make the terminal
  /// show text in another order than it is) become U+FFFD, and anything past `limit` characters is
  /// cut with an ellipsis.
  ///
  /// Reads only as far as the limit, so a 10 MB prompt costs no more than a short one.
  public func singleLine(limit: Int = 200) -> String {
    // Printable ASCII, the usual prompt, path or id, needs nothing replaced: its bytes are its characters.
    var plain = 0
    for byte in utf8.prefix(limit + 1) {
      guard byte >= 0x20 && byte < 0x7F else { break }
      plain += 1
    }
    if plain > limit { return String(decoding: utf8.prefix(limit), as: UTF8.self) + "…" }
    if plain == utf8.count { return self }
    let head = prefix(limit + 1)
    var output = String.UnicodeScalarView()
    for scalar in head.unicodeScalars {
      let value = scalar.value
      let isControl = value < 0x20 || (value >= 0x7F && value < 0xA0)
      let isSeparator = value == 0x2028 || value == 0x2029
      let isBidiControl = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
      output.append(isControl || isSeparator ? " " : isBidiControl ? "\u{FFFD}" : scalar)
    }
    let text = String(output)
    guard text.count > limit || head.endIndex < endIndex else { return text }
    return String(text.prefix(limit)) + "…"
  }
}
