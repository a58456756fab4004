import ArchiveStore
import Testing

@Suite struct DuplicateGroupsTests {
  static let base: UInt64 = 0x9A3C_5E71_0F2D_B486

  @Test func chainsGroupLargestFirstAndFlatOrLonePicturesAreLeftOut() {
    let other: UInt64 = 0x1234_5678_9ABC_DEF0
    let index = HashIndex([
      HashIndexTests.image("a", pHash: Self.base, dHash: 0),
      HashIndexTests.image("lone", pHash: ~Self.base, dHash: 0),
      HashIndexTests.image("a2", pHash: Self.base ^ 0b11, dHash: 0),
      HashIndexTests.image("a4", pHash: Self.base ^ 0b1111, dHash: 0),
      HashIndexTests.image("copy1", pHash: other, dHash: 0),
      HashIndexTests.image("copy2", pHash: other, dHash: 0),
      HashIndexTests.image("flat1", pHash: 0x8000_0000_0000_0000, dHash: 0),
      HashIndexTests.image("flat2", pHash: 0x8000_0000_0000_0000, dHash: 0),
    ])
    let groups = index.duplicateGroups(by: .phash, maxDistance: 2)
    #expect(groups.map { $0.members.map(\.image.taskId) } == [["a", "a2", "a4"], ["copy1", "copy2"]])
    // Measured from the first: a4 is 4 bits from a, though only 2 from a2 that joined them.
    #expect(groups.first?.members.map(\.pHashDistance) == [0, 2, 4])
    #expect(index.duplicateGroups(by: .phash, maxDistance: 1).map(\.members.count) == [2])
    // By dHash all are alike, but flat (all zeros): no group at all.
    #expect(index.duplicateGroups(by: .dhash, maxDistance: 16).isEmpty)
  }

  /// Multi-index lookups find exactly the pairs comparing every pair finds, at every distance allowed.
  @Test(arguments: [0, 3, 4, 7, 10, 16])
  func theSameGroupsAsComparingEveryPair(maxDistance: Int) {
    var generator = SystemRandomNumberGenerator()
    var hashes = (0..<1_600).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
    // Near copies at every distance up to 20 bits, so each side of the limit is tried.
    for index in 0..<400 {
      var copy = hashes[index]
      for bit in (0..<64).shuffled(using: &generator).prefix(index % 21) { copy ^= 1 << UInt64(bit) }
      hashes.append(copy)
    }
    let images = hashes.enumerated().map { HashIndexTests.image("n\($0.offset)", pHash: $0.element, dHash: $0.element) }
    let found = Set(
      HashIndex(images).duplicateGroups(by: .phash, maxDistance: maxDistance).map {
        Set($0.members.map(\.image.taskId))
      })
    // Every pair compared, joined into groups.
    var parent = Array(hashes.indices)
    func root(_ index: Int) -> Int { parent[index] == index ? index : root(parent[index]) }
    for first in hashes.indices {
      for second in (first + 1)..<hashes.count where (hashes[first] ^ hashes[second]).nonzeroBitCount <= maxDistance {
        let (a, b) = (root(first), root(second))
        if a != b { parent[max(a, b)] = min(a, b) }
      }
    }
    let expected = Set(
      Dictionary(grouping: hashes.indices, by: root).values.filter { $0.count > 1 }.map { Set($0.map { "n\($0)" }) })
    #expect(found == expected)
    #expect(!found.isEmpty)
  }
}
