/// Turns what a user types into an FTS5 query the index can answer.
///
/// FTS5 syntax (phrases, `OR`, `NOT`, `AND`, `NEAR(…)`, `prefix*`, `column:`, parentheses) passes
/// through. Two things are rewritten: words FTS5 would reject as barewords (`red-car`, `16:9`,
/// `--tile`) become quoted phrases, and CJK text becomes a match on the `cjk_terms` column, whose
/// unigrams and bigrams the default tokenizer can find.
enum FTSQueryRewriter {
  /// Column names a query may filter on, and the indexed columns each stands for.
  static let columns: [String: String] = [
    "prompt": "prompt", "prompt_en": "{prompt distinct_prompt_en}", "final_prompt": "{prompt distinct_final_prompt}",
    "distinct_prompt_en": "distinct_prompt_en", "distinct_final_prompt": "distinct_final_prompt",
    "action": "action", "description": "description", "cjk_terms": "cjk_terms",
  ]
  private static let operators: Set<String> = ["AND", "OR", "NOT"]

  /// Rewrites `query`; the result is still for SQLite to judge (an unbalanced parenthesis stays an error).
  static func rewrite(_ query: String) -> String {
    var output: [String] = []
    var characters = Array(query)[...]
    while let character = characters.first {
      if character.isWhitespace {
        characters.removeFirst()
      } else if character == "(" || character == ")" || character == "+" || character == "," {
        output.append(String(character))
        characters.removeFirst()
      } else if character == "\"" {
        characters.removeFirst()
        var phrase = ""
        while let next = characters.first {
          characters.removeFirst()
          if next == "\"" {
            if characters.first == "\"" {
              phrase.append("\"")
              characters.removeFirst()
              continue
            }
            break
          }
          phrase.append(next)
        }
        var star = false
        if characters.first == "*" {
          star = true
          characters.removeFirst()
        }
        output.append(term(phrase, prefix: star, column: nil))
      } else {
        var word = ""
        while let next = characters.first, !next.isWhitespace, !"()\"".contains(next) {
          word.append(next)
          characters.removeFirst()
        }
        output.append(bareword(word, nextIsParenthesis: characters.first == "("))
      }
    }
    return output.joined(separator: " ")
  }

  private static func bareword(_ word: String, nextIsParenthesis: Bool) -> String {
    if operators.contains(word) || (word == "NEAR" && nextIsParenthesis) { return word }
    var word = word
    var column: String?
    if let colon = word.firstIndex(of: ":"), let indexed = columns[String(word[..<colon])] {
      column = indexed
      word = String(word[word.index(after: colon)...])
      if word.isEmpty { return column.map { $0 + ":" } ?? "" }
    }
    var initial = false
    if word.hasPrefix("^") {
      initial = true
      word.removeFirst()
    }
    var prefix = false
    if word.hasSuffix("*") {
      prefix = true
      word.removeLast()
    }
    let rewritten = term(word, prefix: prefix, column: column, plainAllowed: true)
    return initial && !rewritten.hasPrefix("(") ? "^" + rewritten : rewritten
  }

  /// One word or phrase: as is when FTS5 accepts it, quoted when not, split into text and CJK parts when it has CJK.
  private static func term(_ text: String, prefix: Bool, column: String?, plainAllowed: Bool = false) -> String {
    let star = prefix ? "*" : ""
    let scope = column.map { $0 + ":" } ?? ""
    guard text.unicodeScalars.contains(where: CJKTerms.isCJK) else {
      if plainAllowed, !text.isEmpty, text.unicodeScalars.allSatisfy(isBarewordScalar) { return scope + text + star }
      return scope + quoted(text) + star
    }
    var parts: [String] = []
    var plain = ""
    var run: [Unicode.Scalar] = []
    func flushPlain() {
      let words = plain.split(whereSeparator: { $0.isWhitespace })
      if !words.isEmpty { parts.append(scope + quoted(words.joined(separator: " "))) }
      plain = ""
    }
    func flushRun() {
      if !run.isEmpty { parts.append("cjk_terms:" + CJKTerms.phrase(for: run)) }
      run = []
    }
    for scalar in text.unicodeScalars {
      if CJKTerms.isCJK(scalar) {
        flushPlain()
        run.append(scalar)
      } else {
        flushRun()
        plain.unicodeScalars.append(scalar)
      }
    }
    flushPlain()
    flushRun()
    return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " AND ") + ")"
  }

  private static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Characters FTS5 allows in a bareword: letters, digits, `_`, and anything non-ASCII.
  private static func isBarewordScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value > 0x7F || scalar == "_" || (scalar.properties.isAlphabetic && scalar.isASCII)
      || ("0"..."9").contains(scalar)
  }
}
