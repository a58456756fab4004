import Foundation

/// What to search for: FTS5 text plus filters.
public struct SearchQuery: Sendable, Equatable {
  /// How results are ordered.
  public enum Sort: String, Sendable, CaseIterable {
    /// bm25 rank (prompt weighs most) among the 2,000 newest hits, so it stays fast at any archive size.
    case relevance
    /// Made most recently first (`seq` is keyed by submit time): streams straight from the index, fast at any hit count.
    case newest
    case oldest
  }

  /// FTS5 query text; empty lists by the filters alone.
  public var text: String
  public var action: String?
  public var status: String?
  public var aspectRatio: String?
  public var version: String?
  public var niji: String?
  public var sref: String?
  public var seed: String?
  /// Submitted at or after (unix milliseconds).
  public var since: Int64?
  /// Submitted before (unix milliseconds).
  public var until: Int64?
  public var hasImage = false
  public var limit = 20
  public var sort = Sort.newest
  /// One hit per family: the best-placed hit of each root's family, with how many of the hits seen share it.
  public var oneHitPerFamily = false

  public init(text: String = "") {
    self.text = text
  }

  /// Longest query text accepted, in bytes.
  public static let maximumTextBytes = 2_000
  /// Most terms accepted (words, each CJK character counted as one, operators not counted): FTS5's matching and snippets
  /// cost grows with the square of the terms (8,000 words took 15 s).
  public static let maximumTerms = 100

  /// Refuses query text beyond `maximumTextBytes` or `maximumTerms`.
  ///
  /// - Throws: `StoreError.invalidQuery` saying how long it is and what is allowed.
  public static func checkSize(of text: String) throws(StoreError) {
    let bytes = text.utf8.count
    guard bytes <= maximumTextBytes else {
      throw StoreError.queryTooLong("the query is \(bytes) bytes long; at most \(maximumTextBytes) are allowed")
    }
    var terms = 0
    for word in text.split(whereSeparator: \.isWhitespace) where !["AND", "OR", "NOT"].contains(word) {
      let cjk = word.unicodeScalars.filter(CJKTerms.isCJK).count
      terms += cjk + (word.unicodeScalars.count > cjk ? 1 : 0)
    }
    guard terms <= maximumTerms else {
      throw StoreError.queryTooLong("the query has \(terms) terms; at most \(maximumTerms) are allowed")
    }
  }

  /// Reads `2026-03-01` or a full ISO 8601 time as unix milliseconds; with `endOfDay`, a bare date means the next midnight.
  ///
  /// - Throws: `StoreError.invalidFilter` naming the value.
  public static func milliseconds(from text: String, endOfDay: Bool = false) throws(StoreError) -> Int64 {
    let day = DateFormatter()
    day.locale = Locale(identifier: "en_US_POSIX")
    day.timeZone = TimeZone(identifier: "UTC")
    day.dateFormat = "yyyy-MM-dd"
    if let date = day.date(from: text) {
      return Int64((endOfDay ? date.addingTimeInterval(86_400) : date).timeIntervalSince1970 * 1000)
    }
    let full = ISO8601DateFormatter()
    if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
    throw StoreError.invalidFilter("\"\(text)\" is not a date like 2026-03-01 or 2026-03-01T12:00:00Z")
  }
}
