import Testing

@testable import Gallery

/// The search's words as the index keeps them (the page's script folds them the same way: SearchBrowserTests).
@Suite struct SearchWordsTests {
  @Test func plainTextSplitsOnAnythingButLettersAndDigits() {
    #expect(SearchWords.words("A red-fox, 2 CATS --ar 16:9") == ["a", "red", "fox", "2", "cats", "ar", "16", "9"])
    #expect(SearchWords.words("  ...  ") == [])
    #expect(SearchWords.words("") == [])
  }

  @Test func accentsWidthsLigaturesAndCaseFold() {
    #expect(SearchWords.words("Crème BRÛLÉE") == ["creme", "brulee"])
    #expect(SearchWords.words("ﬁne Ｆｕｌｌ") == ["fine", "full"])
    #expect(SearchWords.words("İstanbul") == ["istanbul"])
    // Both sigmas are kept as the script looks them up.
    #expect(SearchWords.words("ΟΔΟΣ οδος") == ["οδοσ", "οδοσ"])
  }

  @Test func ideographsAreKeptOneAndTwoAtATime() {
    #expect(SearchWords.words("一只黑猫 在") == ["一只黑猫", "在"])
    #expect(SearchWords.ideographicKeys("黑猫") == ["*黑", "*猫", "*黑猫"])
    #expect(SearchWords.ideographicKeys("猫cat猫") == ["*猫", "*猫"])
    #expect(SearchWords.ideographicKeys("cat") == [])
    // Hangul is kept as its NFKD letters, as the script folds it.
    let hangul = SearchWords.words("고양이")
    #expect(hangul.count == 1 && hangul[0].unicodeScalars.count == 7)
    #expect(SearchWords.ideographicKeys(hangul[0]).count == 7 + 6)
  }
}
