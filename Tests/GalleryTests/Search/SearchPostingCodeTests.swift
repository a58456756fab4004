import Testing

@testable import Gallery

@Suite struct SearchPostingCodeTests {
  /// Decodes as search.js's `numbers` does.
  static func numbers(_ code: [UInt8]) -> [Int] {
    var found: [Int] = []
    var value = 0
    for byte in code {
      if let digit = SearchPostingCode.lastDigits.firstIndex(of: byte) {
        found.append(value * 32 + digit)
        value = 0
      } else if let digit = SearchPostingCode.moreDigits.firstIndex(of: byte) {
        value = value * 32 + digit
      } else {
        Issue.record("unexpected byte \(byte)")
      }
    }
    return found
  }

  @Test func smallNumbersTakeOneCharacterAndLargeOnesRoundTrip() {
    var code: [UInt8] = []
    for value in [0, 31, 32, 1_023, 1_024, 1_741_600_000_000] { SearchPostingCode.append(value, to: &code) }
    #expect(Self.numbers(code) == [0, 31, 32, 1_023, 1_024, 1_741_600_000_000])
    var one: [UInt8] = []
    SearchPostingCode.append(31, to: &one)
    #expect(one == Array("v".utf8))
  }

  @Test func orderedTasksAreWrittenAsGaps() {
    let code = SearchPostingCode.encode(sortedOrdinals: [0, 1, 2, 40, 100_000])
    #expect(String(decoding: code, as: UTF8.self).hasPrefix("000"))
    var previous = -1
    let decoded = Self.numbers(code).map { gap in
      previous += gap + 1
      return previous
    }
    #expect(decoded == [0, 1, 2, 40, 100_000])
  }

  @Test func theTwoAlphabetsAreDistinctAndSafeInAString() {
    let digits = SearchPostingCode.lastDigits + SearchPostingCode.moreDigits
    #expect(Set(digits).count == 64)
    #expect(!digits.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }))
  }
}
