import Testing

@testable import ArchiveStore

/// The memory `RawBindings` binds values from: every copy must hold its bytes until the arena is reset.
@Suite struct BindingArenaTests {
  @Test func copiesKeepTheirBytesWhenTheArenaOutgrowsItsBlock() {
    let arena = BindingArena(capacity: 16)
    let values: [[UInt8]] = [Array("twelve bytes".utf8), Array(repeating: 7, count: 100), Array("tail".utf8)]
    let copies = values.map { value in value.withUnsafeBytes { arena.copy($0) } }
    for (value, copy) in zip(values, copies) {
      #expect(Array(UnsafeRawBufferPointer(start: copy, count: value.count)) == value)
    }
    arena.reset()
    let again = Array("after reset".utf8).withUnsafeBytes { arena.copy($0) }
    #expect(Array(UnsafeRawBufferPointer(start: again, count: 11)) == Array("after reset".utf8))
  }
}
