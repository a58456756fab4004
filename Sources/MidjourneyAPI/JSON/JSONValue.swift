import Foundation

/// A JSON value that keeps numbers as their literal text, so ids and Discord snowflakes beyond 2^53 stay exact.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// The number exactly as written in the source, e.g. `8774786694361674000` or `1.5e3`.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The string value, or nil for any other kind.
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The object value, or nil for any other kind.
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The array value, or nil for any other kind.
  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The value as text where it is a string or a number (ids arrive as either).
  public var textValue: String? {
    switch self {
    case .string(let value): return value
    case .number(let literal): return literal
    default: return nil
    }
  }

  /// The value as a 64-bit integer where it is an integral number or a string of digits.
  public var int64Value: Int64? {
    switch self {
    case .number(let literal), .string(let literal): return Int64(literal)
    default: return nil
    }
  }

  /// Looks up a member when this is an object.
  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral,
  ExpressibleByArrayLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue {
  /// A number from an integer.
  public static func integer<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }
}
