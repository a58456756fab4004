/// Finds where a run of plain bytes inside a JSON string ends, eight bytes at a time.
///
/// Most of a task's bytes are string contents; reading them one byte at a time was a fifth of an
/// import's reading thread (the record scan and the parser each pass over them).
enum JSONStringRun {
  /// The first position at or after `start` that holds a quote, a backslash or a control character
  /// (`bytes.count` if none does), and whether every byte before it from `start` is ASCII.
  @inline(__always)
  static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, ascii: Bool) {
    var position = start
    var seen: UInt64 = 0
    if let base = bytes.baseAddress {
      let raw = UnsafeRawPointer(base)
      while position + 8 <= bytes.count {
        let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        if holdsStop(word) { break }
        seen |= word
        position += 8
      }
    }
    // The word holding the stop, and any tail shorter than a word, one byte at a time.
    var ascii = seen & highBits == 0
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
      if byte >= 0x80 { ascii = false }
      position += 1
    }
    return (position, ascii)
  }

  private static let lowBits: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// Whether any byte of `word` is below `limit` (at most 0x80): exact, though not where.
  @inline(__always)
  private static func holdsByte(below limit: UInt64, in word: UInt64) -> Bool {
    (word &- lowBits &* limit) & ~word & highBits != 0
  }

  /// Whether any byte of `word` is a quote, a backslash or below 0x20.
  @inline(__always)
  private static func holdsStop(_ word: UInt64) -> Bool {
    holdsByte(below: 1, in: word ^ (lowBits &* 0x22)) || holdsByte(below: 1, in: word ^ (lowBits &* 0x5C))
      || holdsByte(below: 0x20, in: word)
  }
}
