import Foundation

/// The words the gallery's search matches, folded as its script folds them (`fold` and `words` in search.js).
///
/// Text is decomposed (NFKD), its combining marks dropped and lower-cased, then split into runs of letters and
/// digits. The index is made here and queried there, so the two must agree; a browser test runs both on the same
/// tricky text. One difference is settled on both sides: JavaScript lower-cases a word-final `Σ` to `ς`, Swift to
/// `σ`, so the index's words and the script's lookups spell `ς` as `σ`.
enum SearchWords {
  /// The folded words of `text`, in order.
  static func words(_ text: String) -> [String] {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }
    var words: [String] = []
    var word = String.UnicodeScalarView()
    for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
      if isMark(scalar) { continue }
      for lower in scalar.properties.lowercaseMapping.unicodeScalars {
        if isWordScalar(lower) {
          word.append(lower == "ς" ? "σ" : lower)
        } else if !word.isEmpty {
          words.append(String(word))
          word = String.UnicodeScalarView()
        }
      }
    }
    if !word.isEmpty { words.append(String(word)) }
    return words
  }

  /// Ideographs, kana and hangul: the search matches these anywhere inside a word.
  ///
  /// The same ranges as `ideographic` in search.js, after NFKD.
  static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1100...0x11FF, 0x2E80...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFF66...0xFF9F:
      return true
    default:
      return false
    }
  }

  /// The index keys of a word's ideographs: `*` and each one, and `*` and each two standing side by side (no word
  /// starts with `*`), so a search for one or two of them anywhere reads no rows.
  static func ideographicKeys(_ word: String) -> [String] {
    guard !word.utf8.allSatisfy({ $0 < 0x80 }) else { return [] }
    var keys: [String] = []
    var previous: Unicode.Scalar?
    for scalar in word.unicodeScalars {
      guard isIdeographic(scalar) else {
        previous = nil
        continue
      }
      var key = String.UnicodeScalarView()
      key.append("*")
      key.append(scalar)
      keys.append(String(key))
      if let previous {
        key.insert(previous, at: key.index(after: key.startIndex))
        keys.append(String(key))
      }
      previous = scalar
    }
    return keys
  }

  private static func asciiWords(_ text: String) -> [String] {
    var words: [String] = []
    var word: [UInt8] = []
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        word.append(byte)
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        word.append(byte + 32)
      default:
        if !word.isEmpty {
          words.append(String(decoding: word, as: UTF8.self))
          word.removeAll(keepingCapacity: true)
        }
      }
    }
    if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
    return words
  }

  private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: return true
    default: return false
    }
  }

  private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
      .letterNumber, .otherNumber:
      return true
    default:
      return false
    }
  }
}
