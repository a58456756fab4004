import Basics
import Foundation

/// A task as the gateway describes it, with the exact bytes it arrived as.
///
/// Typed fields are read leniently (ids as numbers or strings, missing fields as nil); everything
/// else, unknown fields included, stays in `json` and `raw`, so nothing the gateway said is lost.
public struct GatewayTask: Sendable, Equatable {
  /// Task id, always as text: ids may exceed 2^53 and arrive as JSON numbers.
  public var id: String
  public var action: TaskAction?
  public var status: TaskStatus?
  /// Progress as sent, such as `"46%"`.
  public var progress: String?
  public var prompt: String?
  public var promptEn: String?
  public var description: String?
  public var failReason: String?
  public var state: String?
  /// Unix milliseconds; nil when absent or 0.
  public var submitTime: Int64?
  public var startTime: Int64?
  public var finishTime: Int64?
  public var imageUrl: String?
  /// The parent task id, where the gateway sends one.
  public var parentId: String?
  public var properties: JSONObject
  public var buttons: [TaskButton]
  /// The whole task as parsed.
  public var json: JSONValue
  /// The task's bytes exactly as received.
  public var raw: Data

  /// Reads a task from its own JSON document.
  ///
  /// - Throws: `GatewayError.malformedResponse` when the bytes are not a JSON object with an id.
  public init(raw: Data) throws(GatewayError) {
    try self.init(json: try GatewayError.parse(raw, what: "the task"), raw: raw)
  }

  /// Reads a task from an already parsed value and the bytes it came from.
  ///
  /// - Throws: `GatewayError.malformedResponse` when the value is not an object with an id.
  public init(json: JSONValue, raw: Data) throws(GatewayError) {
    guard let object = json.objectValue else {
      throw GatewayError.malformedResponse("a task is not a JSON object")
    }
    if let repeated = Self.repeatedKey(object) {
      // SQLite's JSON functions read the first of two keys and this reader the last: the stored columns and the
      // raw JSON would disagree.
      throw GatewayError.malformedResponse(
        "a task holds the key \"\(repeated.singleLine(limit: 40))\" twice, which programs read differently")
    }
    guard let id = object["id"]?.textValue, !id.isEmpty else {
      throw GatewayError.malformedResponse("a task has no id")
    }
    self.id = id
    self.action = object["action"]?.stringValue.map(TaskAction.init(rawValue:))
    self.status = object["status"]?.stringValue.map(TaskStatus.init(rawValue:))
    self.progress = object["progress"]?.textValue
    self.prompt = object["prompt"]?.stringValue
    self.promptEn = object["promptEn"]?.stringValue
    self.description = object["description"]?.stringValue
    self.failReason = object["failReason"]?.stringValue
    self.state = object["state"]?.stringValue
    self.submitTime = Self.time(object["submitTime"])
    self.startTime = Self.time(object["startTime"])
    self.finishTime = Self.time(object["finishTime"])
    self.imageUrl = object["imageUrl"]?.stringValue
    self.parentId = object["parentId"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
    self.properties = object["properties"]?.objectValue ?? JSONObject()
    self.buttons = object["buttons"]?.arrayValue?.compactMap(TaskButton.init(json:)) ?? []
    self.json = json
    self.raw = raw
  }

  /// The buttons of a task's raw JSON, as `init(raw:)` reads them, without reading the rest (`JSONParser.member`);
  /// none when the JSON is not an object.
  public static func buttons(inRaw raw: Data) -> [TaskButton] {
    ((try? JSONParser.member("buttons", of: raw))??.arrayValue ?? []).compactMap(TaskButton.init(json:))
  }

  /// The first key the object holds twice, if any.
  private static func repeatedKey(_ object: JSONObject) -> String? {
    var seen = Set<String>(minimumCapacity: object.members.count)
    for member in object.members where !seen.insert(member.key).inserted { return member.key }
    return nil
  }

  private static func time(_ value: JSONValue?) -> Int64? {
    guard let milliseconds = value?.int64Value, milliseconds > 0 else { return nil }
    return milliseconds
  }

  /// The prompt Midjourney actually ran (`properties.finalPrompt`).
  public var finalPrompt: String? { properties["finalPrompt"]?.stringValue }
  /// The job hash that this task's buttons carry (`properties.messageHash`).
  public var messageHash: String? { properties["messageHash"]?.textValue }
  /// The Discord message id of the finished job.
  public var messageId: String? { properties["messageId"]?.textValue }

  /// Progress as a number from 0 to 100, where it can be read.
  public var progressPercent: Int? {
    guard let progress else { return nil }
    let digits = progress.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
    guard let value = Double(digits), value.isFinite else { return nil }
    return min(100, max(0, Int(value)))
  }

  /// True once the task will not change any more.
  public var isFinished: Bool {
    status?.isFinal ?? false
  }
}
