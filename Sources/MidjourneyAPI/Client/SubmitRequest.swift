import Foundation

/// One submit as it will be sent: the route, the JSON body, and the task it acts on.
///
/// Built before sending so the caller can record it first: a submit whose answer is lost must
/// still be findable later, by the `state` it carried.
public struct SubmitRequest: Sendable {
  /// The submit route.
  public let endpoint: GatewayEndpoint
  /// The JSON body.
  public private(set) var body: JSONObject
  /// The task acted on (action, modal), or nil for a new job.
  public let taskId: String?

  private init(_ endpoint: GatewayEndpoint, body: JSONObject, taskId: String? = nil, state: String?) {
    self.endpoint = endpoint
    self.body = body
    self.taskId = taskId
    if let state { self.body["state"] = .string(state) }
  }

  /// A text prompt, with optional reference images as data URLs.
  public static func imagine(prompt: String, images: [String] = [], state: String? = nil) -> SubmitRequest {
    var body = JSONObject()
    body["prompt"] = .string(prompt)
    body["base64Array"] = .array(images.map(JSONValue.string))
    return SubmitRequest(.imagine, body: body, state: state)
  }

  /// A blend of 2–5 images (data URLs).
  ///
  /// - Throws: `GatewayError.invalidConfiguration` for another number of images.
  public static func blend(images: [String], dimensions: BlendDimensions, state: String? = nil) throws(GatewayError)
    -> SubmitRequest
  {
    guard (2...5).contains(images.count) else {
      throw GatewayError.invalidConfiguration("blend takes 2 to 5 images (got \(images.count))")
    }
    var body = JSONObject()
    body["base64Array"] = .array(images.map(JSONValue.string))
    body["dimensions"] = .string(dimensions.rawValue)
    return SubmitRequest(.blend, body: body, state: state)
  }

  /// Four prompts describing an image (a data URL).
  public static func describe(image: String, state: String? = nil) -> SubmitRequest {
    var body = JSONObject()
    body["base64"] = .string(image)
    return SubmitRequest(.describe, body: body, state: state)
  }

  /// A shortened analysis of a prompt.
  public static func shorten(prompt: String, state: String? = nil) -> SubmitRequest {
    var body = JSONObject()
    body["prompt"] = .string(prompt)
    return SubmitRequest(.shorten, body: body, state: state)
  }

  /// A press of button `customId` of task `taskId`, making a child task.
  ///
  /// - Throws: `GatewayError.invalidTaskID`.
  public static func action(taskId: String, customId: String, state: String? = nil) throws(GatewayError)
    -> SubmitRequest
  {
    var body = JSONObject()
    body["customId"] = .string(customId)
    body["taskId"] = .string(try TaskID.validated(taskId))
    return SubmitRequest(.action, body: body, taskId: taskId, state: state)
  }

  /// The completion of a task waiting in MODAL with a prompt and/or a mask (the route takes no `state`).
  ///
  /// - Throws: `GatewayError.invalidTaskID`.
  public static func modal(taskId: String, prompt: String?, maskBase64: String?) throws(GatewayError) -> SubmitRequest {
    var body = JSONObject()
    body["taskId"] = .string(try TaskID.validated(taskId))
    if let prompt { body["prompt"] = .string(prompt) }
    if let maskBase64 { body["maskBase64"] = .string(maskBase64) }
    return SubmitRequest(.modal, body: body, taskId: taskId, state: nil)
  }

  /// A fresh correlation value for a submit the user gave no `state` for.
  public static func newState() -> String {
    "mjarchive-" + UUID().uuidString.lowercased()
  }

  /// The route's short name: imagine, blend, describe, shorten, action or modal.
  public var route: String {
    String(endpoint.path.split(separator: "/").last ?? "")
  }

  /// The correlation value the gateway echoes in the task's `state`, if any.
  public var state: String? { body["state"]?.stringValue }

  /// A copy carrying `state`, unless the route takes none (modal).
  public func with(state: String) -> SubmitRequest {
    guard endpoint != .modal else { return self }
    var copy = self
    copy.body["state"] = .string(state)
    return copy
  }

  /// A copy asking the gateway to POST the task to `url` on every change, unless the route takes none (modal).
  public func with(notifyHook url: String) -> SubmitRequest {
    guard endpoint != .modal else { return self }
    var copy = self
    copy.body["notifyHook"] = .string(url)
    return copy
  }

  /// The body as kept in the archive: image data URLs are replaced by their type and size, so a
  /// record stays small while saying what was sent.
  public var recordedBody: Data {
    func summarise(_ value: JSONValue) -> JSONValue {
      guard let text = value.stringValue, text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") else {
        return value
      }
      return .string("\(text[..<comma]),… (\(text.utf8.count) bytes)")
    }
    var copy = body
    for key in ["base64Array", "base64", "maskBase64"] {
      if let array = copy[key]?.arrayValue {
        copy[key] = .array(array.map(summarise))
      } else if let value = copy[key] {
        copy[key] = summarise(value)
      }
    }
    return Data(JSONValue.object(copy).serialized().utf8)
  }
}
