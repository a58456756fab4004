import ArchiveStore
import Testing

@Suite struct HashIndexTests {
  /// A picture whose two hashes are `pHash` and `dHash`.
  static func image(_ name: String, pHash: UInt64, dHash: UInt64) -> HashedImage {
    HashedImage(
      taskId: name, kind: "original", part: 0, path: "images/\(name).png", sha256: name,
      hashes: ImageHashes(dHash: dHash, pHash: pHash))
  }

  static let base: UInt64 = 0x9A3C_5E71_0F2D_B486

  @Test func nearestFirstWithinTheDistanceAndTheLimit() {
    let index = HashIndex([
      Self.image("far", pHash: ~Self.base, dHash: Self.base),
      Self.image("three", pHash: Self.base ^ 0b111, dHash: Self.base),
      Self.image("same", pHash: Self.base, dHash: Self.base ^ 1),
      Self.image("one", pHash: Self.base ^ (1 << 40), dHash: Self.base),
    ])
    let query = ImageHashes(dHash: Self.base, pHash: Self.base)
    let found = index.nearest(to: query, by: .phash, maxDistance: 3, limit: 10)
    #expect(found.map(\.image.taskId) == ["same", "one", "three"])
    #expect(found.map(\.pHashDistance) == [0, 1, 3])
    #expect(found.first?.dHashDistance == 1)
    #expect(index.nearest(to: query, by: .phash, maxDistance: 3, limit: 2).count == 2)
    // By dHash "same" is one bit off and the others exact: ties go to the nearer pHash.
    #expect(
      index.nearest(to: query, by: .dhash, maxDistance: 0, limit: 10).map(\.image.taskId) == ["one", "three", "far"])
    // Both: as far as the farther of the two.
    #expect(index.nearest(to: query, by: .both, maxDistance: 1, limit: 10).map(\.image.taskId) == ["one", "same"])
    #expect(index.nearest(to: query, by: .phash, maxDistance: 64, limit: 10) { $0 == 2 }.count == 3)
  }

  @Test func flatPicturesAreNeverOfferedNorSearchedFor() {
    let flat = HashIndex([
      Self.image("black", pHash: 0x8000_0000_0000_0000, dHash: 0),
      Self.image("white", pHash: 0x8000_0000_0000_0001, dHash: 0),
      Self.image("photo", pHash: Self.base, dHash: Self.base),
    ])
    let black = ImageHashes(dHash: 0, pHash: 0x8000_0000_0000_0000)
    #expect(flat.nearest(to: black, by: .phash, maxDistance: 64, limit: 10).isEmpty)
    let found = flat.nearest(
      to: ImageHashes(dHash: Self.base, pHash: Self.base), by: .dhash, maxDistance: 64, limit: 10)
    #expect(found.map(\.image.taskId) == ["photo"])
  }

  /// Past one lane the scan is split across the cores: the answer is the same as one core's.
  @Test func aLargeIndexIsScannedInLanesWithTheSameAnswer() {
    var generator = SystemRandomNumberGenerator()
    var images = (0..<200_000).map { index in
      Self.image("n\(index)", pHash: generator.next(), dHash: generator.next())
    }
    images[150_001] = Self.image("planted", pHash: Self.base ^ 0b11, dHash: Self.base)
    let found = HashIndex(images).nearest(
      to: ImageHashes(dHash: Self.base, pHash: Self.base), by: .phash, maxDistance: 6, limit: 5)
    #expect(found.first?.image.taskId == "planted")
    #expect(found.first?.pHashDistance == 2)
  }
}
