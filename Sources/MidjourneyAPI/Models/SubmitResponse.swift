import Foundation

/// The gateway's answer to a submit: `{"code": 1, "description": "…", "properties": {}, "result": "<task id>"}`.
public struct SubmitResponse: Sendable, Equatable {
  /// Success, in queue, existed (or waiting for a modal); anything else is a refusal.
  public var code: SubmitCode
  public var description: String
  public var properties: JSONObject
  /// The new task id as text, whether it was sent as a number or a string.
  public var result: String?
  /// The answer's bytes exactly as received.
  public var raw: Data

  /// Reads a submit answer.
  ///
  /// - Throws: `GatewayError.malformedResponse` when the bytes are not a JSON object with a code.
  public init(raw: Data) throws(GatewayError) {
    try self.init(json: try GatewayError.parse(raw, what: "the submit answer"), raw: raw)
  }

  /// Reads a submit answer already parsed from `raw`.
  ///
  /// - Throws: `GatewayError.malformedResponse` when it is not a JSON object with a code.
  public init(json: JSONValue, raw: Data) throws(GatewayError) {
    guard let object = json.objectValue else {
      throw GatewayError.malformedResponse("the submit answer is not a JSON object")
    }
    guard let code = object["code"]?.int64Value, let small = Int(exactly: code) else {
      throw GatewayError.malformedResponse("the submit answer has no numeric code")
    }
    self.code = SubmitCode(rawValue: small)
    self.description = object["description"]?.stringValue ?? ""
    self.properties = object["properties"]?.objectValue ?? JSONObject()
    self.result = object["result"]?.textValue.flatMap { $0.isEmpty ? nil : $0 }
    self.raw = raw
  }

  /// How the gateway took the submit.
  public enum Outcome: Sendable, Equatable, CustomStringConvertible {
    /// Accepted (`SubmitCode.success`).
    case accepted
    /// Accepted and queued behind others (`.inQueue`).
    case queued
    /// The action opened a window that `/mj/submit/modal` must complete (`.existed` with a task id).
    case waitingForModal
    /// The task already exists (`.existed` with a task id); the id is the existing task.
    case alreadyExists

    /// As commands print it: accepted, queued, waiting for modal, already exists.
    public var description: String {
      switch self {
      case .accepted: return "accepted"
      case .queued: return "queued"
      case .waitingForModal: return "waiting for modal"
      case .alreadyExists: return "already exists"
      }
    }
  }
}
