import Crypto
import Foundation

/// A digest of everything a page is rendered from (its template context and the templates), so an export can
/// tell an unchanged page without rendering it.
enum ContextFingerprint {
  /// Hex SHA-256 over `salt` and a type-tagged, length-prefixed walk of `context` (dictionary keys sorted).
  static func of(_ context: Any, salt: String) -> String {
    var bytes: [UInt8] = Array(salt.utf8)
    bytes.reserveCapacity(4_096)
    walk(context, into: &bytes)
    return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }

  private static func walk(_ value: Any, into bytes: inout [UInt8]) {
    switch value {
    case let string as String:
      bytes.append(UInt8(ascii: "s"))
      length(string.utf8.count, into: &bytes)
      bytes += string.utf8
    case let number as Int:
      bytes.append(UInt8(ascii: "i"))
      length(number, into: &bytes)
    case let flag as Bool:
      bytes.append(flag ? UInt8(ascii: "T") : UInt8(ascii: "F"))
    case let list as [Any]:
      bytes.append(UInt8(ascii: "a"))
      length(list.count, into: &bytes)
      for element in list { walk(element, into: &bytes) }
    case let object as [String: Any]:
      bytes.append(UInt8(ascii: "d"))
      length(object.count, into: &bytes)
      for key in object.keys.sorted() {
        length(key.utf8.count, into: &bytes)
        bytes += key.utf8
        walk(object[key]!, into: &bytes)
      }
    default:
      bytes.append(UInt8(ascii: "?"))
      let text = String(describing: value)
      length(text.utf8.count, into: &bytes)
      bytes += text.utf8
    }
  }

  private static func length(_ value: Int, into bytes: inout [UInt8]) {
    withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 }
  }
}
