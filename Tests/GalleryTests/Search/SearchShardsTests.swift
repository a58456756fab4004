import Testing

@testable import Gallery

@Suite struct SearchShardsTests {
  static func entries(_ words: [String], codeLength: Int = 40) -> [SearchShards.Entry] {
    words.map { SearchShards.Entry(word: $0, code: Array(repeating: UInt8(ascii: "0"), count: codeLength)) }
  }

  /// The key the script picks for `word`: the longest key it starts with.
  static func key(of word: String, among keys: Set<String>) -> String? {
    let scalars = Array(word.unicodeScalars)
    for length in stride(from: min(scalars.count, SearchShards.maximumKeyLength), through: 0, by: -1) {
      var prefix = String.UnicodeScalarView()
      prefix.append(contentsOf: scalars[0..<length])
      if keys.contains(String(prefix)) { return String(prefix) }
    }
    return nil
  }

  @Test func everyWordIsInTheFileOfTheLongestKeyItStartsWith() {
    let words =
      (0..<2_000).map { "w\($0)" } + ["fox", "fo", "f", "forest", "*猫", "*黑猫", "red fox", "οδοσ", "a"]
      + (0..<300).map { "fox\($0)" }
    let shards = SearchShards(Self.entries(words), limit: 4_096)
    let keys = Set(shards.shards.map(\.key))
    #expect(keys.count == shards.shards.count)
    #expect(shards.shards.count > 10)
    var seen: [String] = []
    for shard in shards.shards {
      for entry in shard.entries {
        #expect(Self.key(of: entry.word, among: keys) == shard.key, "\(entry.word)")
        seen.append(entry.word)
      }
      // A file is split until it fits, unless one word alone is larger.
      let size = shard.entries.reduce(0) { $0 + $1.code.count + $1.word.utf8.count + 6 }
      #expect(
        size <= 4_096 || shard.entries.count == 1 || shard.key.unicodeScalars.count == SearchShards.maximumKeyLength)
    }
    #expect(seen.sorted() == words.sorted())
  }

  @Test func aSmallIndexIsOneFileWithTheEmptyKey() {
    let shards = SearchShards(Self.entries(["cat", "fox"]), limit: 65_536)
    #expect(shards.shards.map(\.key) == [""])
    #expect(shards.shards.first?.entries.map(\.word) == ["cat", "fox"])
  }

  @Test func aPrefixFindsItsWordsInItsKeyAndTheKeysStartingWithIt() {
    let words = (0..<500).map { "fox\($0)" } + (0..<500).map { "fog\($0)" } + ["f", "fo", "fox"]
    let shards = SearchShards(Self.entries(words), limit: 2_048)
    let keys = Set(shards.shards.map(\.key))
    for prefix in ["f", "fo", "fox", "fox1", "fog49"] {
      // What search.js loads for `prefix*`.
      var load = keys.filter { $0.count > prefix.count && $0.hasPrefix(prefix) }
      if let own = Self.key(of: prefix, among: keys) { load.insert(own) }
      let found = shards.shards.filter { load.contains($0.key) }.flatMap(\.entries).map(\.word).filter {
        $0.hasPrefix(prefix)
      }
      #expect(Set(found) == Set(words.filter { $0.hasPrefix(prefix) }), "\(prefix)")
    }
  }
}
