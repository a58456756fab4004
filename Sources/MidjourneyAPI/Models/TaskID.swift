/// Checks task ids before they go into a URL path or a file name.
public enum TaskID {
  /// Longest id accepted; gateway ids are 16–20 digits.
  public static let maximumLength = 64

  /// True when `id` is 1–64 ASCII letters, digits, `-` or `_`: nothing that can escape a path.
  public static func isValid(_ id: String) -> Bool {
    guard !id.isEmpty, id.utf8.count <= maximumLength else { return false }
    return id.utf8.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
  }

  /// Returns `id` unchanged when valid.
  ///
  /// - Throws: `GatewayError.invalidTaskID` otherwise, with the id shown safely.
  public static func validated(_ id: String) throws(GatewayError) -> String {
    guard isValid(id) else { throw GatewayError.invalidTaskID(id) }
    return id
  }
}
