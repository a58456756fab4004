/// Numbers written as text a script decodes in one pass: the task lists of the search index and its columns.
///
/// Each number is base 32, most significant digit first: every digit but the last is one of `w`–`z`, `A`–`Z`, `-`,
/// `_` and the last one of `0`–`9`, `a`–`v` (`digits` in search.js). Small numbers (a list's gaps) take one
/// character; none needs escaping in JSON or in a script.
enum SearchPostingCode {
  static let lastDigits = Array("0123456789abcdefghijklmnopqrstuv".utf8)
  static let moreDigits = Array("wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".utf8)

  /// Appends `value` (not negative).
  static func append(_ value: Int, to output: inout [UInt8]) {
    var groups: [UInt8] = []
    var rest = value
    repeat {
      groups.append(UInt8(rest & 31))
      rest >>= 5
    } while rest > 0
    for group in groups.dropFirst().reversed() { output.append(moreDigits[Int(group)]) }
    output.append(lastDigits[Int(groups[0])])
  }

  /// A sorted list of distinct ordinals as the gaps between them (the first counted from -1), each less one.
  static func encode(sortedOrdinals: [Int32]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(sortedOrdinals.count + 8)
    var previous = -1
    for ordinal in sortedOrdinals {
      append(Int(ordinal) - previous - 1, to: &output)
      previous = Int(ordinal)
    }
    return output
  }
}
