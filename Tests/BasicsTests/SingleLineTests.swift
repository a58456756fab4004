import Basics
import Testing

/// Text from the network made safe for one terminal line.
@Suite struct SingleLineTests {
  @Test func controlCharactersAndLineBreaksBecomeSpaces() {
    #expect("a\nb\r\u{1B}[31mc\u{2028}d".singleLine() == "a b  [31mc d")
  }

  /// Regression: a prompt with U+202E showed "exe.gpj" reversed as "jpg.exe" in `search` and `show`.
  @Test func bidirectionalOverridesAreShownNotObeyed() {
    #expect("photo\u{202E}gpj.exe".singleLine() == "photo\u{FFFD}gpj.exe")
    #expect("\u{2067}x\u{2069}".singleLine() == "\u{FFFD}x\u{FFFD}")
    // Ordinary right-to-left text and emoji are kept as they are.
    #expect("שלום 🦊 مرحبا".singleLine() == "שלום 🦊 مرحبا")
  }

  @Test func longTextIsCutAtTheLimitWithAnEllipsis() {
    #expect(String(repeating: "x", count: 10).singleLine(limit: 10) == String(repeating: "x", count: 10))
    #expect(String(repeating: "x", count: 11).singleLine(limit: 10) == String(repeating: "x", count: 10) + "…")
    // Printable ASCII up to the limit is taken as it is; a control character after it is cut off, one before is not.
    #expect("abc\u{1B}".singleLine(limit: 2) == "ab…")
    #expect("ab\u{1B}c".singleLine(limit: 10) == "ab c")
    let huge = String(repeating: "fox ", count: 2_500_000)
    #expect(huge.singleLine(limit: 8) == "fox fox …")
  }
}
