/// Memory that values bound by `RawBindings` live in while their statement runs, reused row after row.
///
/// SQLite copies a value bound as transient into a buffer it allocates, and frees that buffer when the
/// statement's bindings are cleared: for a stored task, some fifty allocations and frees, one of them
/// the size of its JSON. Values copied here are bound as static instead, and the arena keeps its memory.
final class BindingArena {
  private var block: UnsafeMutableRawBufferPointer
  private var used = 0
  /// Blocks outgrown while a statement's values were bound, freed at `reset`.
  private var outgrown: [UnsafeMutableRawBufferPointer] = []

  init(capacity: Int = 64 * 1024) {
    block = .allocate(byteCount: capacity, alignment: 8)
  }

  deinit {
    reset()
    block.deallocate()
  }

  /// Copies `bytes` in; the copy stays put until `reset()`.
  func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
    if used + bytes.count > block.count {
      outgrown.append(block)
      block = .allocate(byteCount: max(block.count * 2, bytes.count), alignment: 8)
      used = 0
    }
    let target = block.baseAddress.unsafelyUnwrapped + used
    if let source = bytes.baseAddress { target.copyMemory(from: source, byteCount: bytes.count) }
    used += bytes.count
    return UnsafeRawPointer(target)
  }

  /// Makes all the memory reusable: nothing bound from it may be read after this.
  func reset() {
    for old in outgrown { old.deallocate() }
    outgrown.removeAll()
    used = 0
  }
}
