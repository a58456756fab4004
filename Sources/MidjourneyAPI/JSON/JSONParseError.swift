/// Why a JSON document could not be read, and where.
public struct JSONParseError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Byte offset into the document where the problem was found.
  public var offset: Int
  /// What was wrong, in a few words.
  public var reason: String
  /// True when the input simply stopped early, the mark of a truncated body.
  public var atEnd: Bool

  public var description: String {
    atEnd ? "\(reason) (the JSON stops after \(offset) bytes)" : "\(reason) at byte \(offset)"
  }
}
