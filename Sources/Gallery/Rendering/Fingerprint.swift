import Basics
import Crypto
import MidjourneyAPI

/// A SHA-256 over typed, length-prefixed fields: what a page is made from, so an export can tell an unchanged page
/// without building or rendering it.
struct Fingerprint {
  private var bytes: [UInt8] = []

  init(_ kind: String) {
    bytes.reserveCapacity(1_024)
    add(kind)
  }

  mutating func add(_ text: String?) {
    guard let text else {
      bytes.append(0)
      return
    }
    bytes.append(1)
    addLength(text.utf8.count)
    bytes += text.utf8
  }

  /// Adds bytes as `add(_:)` adds a text of the same UTF-8, so both give one digest.
  mutating func add(bytes text: [UInt8]) {
    bytes.append(1)
    addLength(text.count)
    bytes += text
  }

  mutating func add(_ number: Int64?) {
    guard let number else {
      bytes.append(0)
      return
    }
    bytes.append(2)
    withUnsafeBytes(of: number.littleEndian) { bytes += $0 }
  }

  mutating func add(_ number: Int?) {
    add(number.map(Int64.init))
  }

  mutating func add(_ image: GalleryImage?) {
    add(image?.path)
    add(image?.width)
    add(image?.height)
  }

  /// Adds another fingerprint's digest (a related task's).
  mutating func add(digest: [UInt8]?) {
    bytes.append(digest == nil ? 0 : 3)
    bytes += digest ?? []
  }

  /// The raw 32-byte digest.
  var digest: [UInt8] { Array(SHA256.hash(data: bytes)) }

  /// The digest in hex.
  var text: String { SHA256.hash(data: bytes).lowercaseHex }

  private mutating func addLength(_ count: Int) {
    withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { bytes += $0 }
  }
}
