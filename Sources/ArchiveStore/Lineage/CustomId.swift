/// The parts of a button's custom id, such as `MJ::JOB::upsample::2::<hash>`.
enum CustomId {
  /// The parts between each `::`, read left to right (`a:::b` gives `a` and `:b`), empty parts kept.
  ///
  /// A byte scan: Foundation's `components(separatedBy:)` here was a seventh of an import's reading thread.
  static func parts(_ customId: String) -> [Substring] {
    let utf8 = customId.utf8
    var parts: [Substring] = []
    var start = utf8.startIndex
    var index = start
    while index < utf8.endIndex {
      let next = utf8.index(after: index)
      if utf8[index] == UInt8(ascii: ":"), next < utf8.endIndex, utf8[next] == UInt8(ascii: ":") {
        parts.append(customId[start..<index])
        index = utf8.index(after: next)
        start = index
      } else {
        index = next
      }
    }
    parts.append(customId[start...])
    return parts
  }
}
