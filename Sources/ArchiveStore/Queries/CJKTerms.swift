/// Derives searchable terms from Chinese, Japanese and Korean text.
///
/// SQLite's `unicode61` tokenizer treats a run of Han characters as one token, so `猫` would not
/// find "一只黑猫". The store indexes each run's unigrams and then its bigrams as separate tokens
/// (`一 只 黑 猫 一只 只黑 黑猫`), which the stock tokenizer and the stock sqlite3 shell can match.
public enum CJKTerms {
  /// True for Han, kana, Hangul and the CJK compatibility ranges.
  public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xAC00...0xD7AF, 0x1100...0x11FF,
      0x20000...0x2FA1F:
      return true
    default:
      return false
    }
  }

  /// The runs of CJK characters in `text`.
  public static func runs(in text: String) -> [[Unicode.Scalar]] {
    var runs: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    for scalar in text.unicodeScalars {
      if isCJK(scalar) {
        current.append(scalar)
      } else if !current.isEmpty {
        runs.append(current)
        current = []
      }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
  }

  /// The indexed form of `texts`: for each CJK run, its unigrams then its bigrams, space separated.
  public static func indexText(_ texts: [String?]) -> String {
    var terms: [String] = []
    // Every CJK range starts at U+1100 or later, whose UTF-8 lead byte is 0xE1 or more.
    for text in texts.compactMap({ $0 }) where text.utf8.contains(where: { $0 >= 0xE1 }) {
      for run in runs(in: text) {
        terms += run.map { String($0) }
        if run.count > 1 {
          terms += (0..<(run.count - 1)).map { String(run[$0]) + String(run[$0 + 1]) }
        }
      }
    }
    return terms.joined(separator: " ")
  }

  /// The FTS5 phrase that finds a CJK run: the character itself, or its bigrams in a row.
  public static func phrase(for run: [Unicode.Scalar]) -> String {
    if run.count == 1 { return "\"\(run[0])\"" }
    return "\"" + (0..<(run.count - 1)).map { String(run[$0]) + String(run[$0 + 1]) }.joined(separator: " ") + "\""
  }
}
