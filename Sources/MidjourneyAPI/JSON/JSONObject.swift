/// A JSON object that keeps its members in their original order (and any duplicate keys) so it can be written back unchanged.
public struct JSONObject: Sendable, Equatable {
  /// One `"key": value` pair.
  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  /// The members in source order.
  public var members: [Member]

  public init(_ members: [Member] = []) {
    self.members = members
  }

  /// Builds an object from key-value pairs in the given order.
  public init(_ pairs: KeyValuePairs<String, JSONValue>) {
    self.members = pairs.map { Member(key: $0.key, value: $0.value) }
  }

  /// The last value written for `key` (JSON's usual rule for duplicates); setting replaces it or appends.
  public subscript(key: String) -> JSONValue? {
    get { members.last(where: { $0.key == key })?.value }
    set {
      if let index = members.lastIndex(where: { $0.key == key }) {
        if let newValue {
          members[index].value = newValue
        } else {
          members.removeAll { $0.key == key }
        }
      } else if let newValue {
        members.append(Member(key: key, value: newValue))
      }
    }
  }

  /// The keys in source order.
  public var keys: [String] { members.map(\.key) }
}
