/// One button under a finished task; pressing it (`/mj/submit/action`) makes a child task.
public struct TaskButton: Sendable, Equatable {
  public var customId: String
  public var emoji: String
  public var label: String
  public var style: Int?
  public var type: Int?

  public init(customId: String, emoji: String = "", label: String, style: Int? = 2, type: Int? = 2) {
    self.customId = customId
    self.emoji = emoji
    self.label = label
    self.style = style
    self.type = type
  }

  /// Reads a button from its JSON object; nil when it has no customId to press.
  public init?(json: JSONValue) {
    guard let customId = json["customId"]?.textValue, !customId.isEmpty else { return nil }
    self.customId = customId
    self.emoji = json["emoji"]?.stringValue ?? ""
    self.label = json["label"]?.stringValue ?? ""
    self.style = json["style"]?.int64Value.map { Int(truncatingIfNeeded: $0) }
    self.type = json["type"]?.int64Value.map { Int(truncatingIfNeeded: $0) }
  }

  /// The button as the gateway writes it.
  public var json: JSONValue {
    var object = JSONObject()
    object["customId"] = .string(customId)
    object["emoji"] = .string(emoji)
    object["label"] = .string(label)
    if let style { object["style"] = .integer(style) }
    if let type { object["type"] = .integer(type) }
    return .object(object)
  }

  /// A short name for the button: its label, else its emoji, else its customId.
  public var displayName: String {
    if !label.isEmpty { return label }
    if !emoji.isEmpty { return emoji }
    return customId
  }
}
