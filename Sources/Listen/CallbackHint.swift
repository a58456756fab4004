import Foundation
import MidjourneyAPI

/// What a callback is believed to say: which task changed, and whether it says the task finished.
///
/// Nothing else of the body is used: the task is always read back from the gateway.
public struct CallbackHint: Sendable, Equatable {
  /// The task's id, checked as every id is (`TaskID.isValid`).
  public let taskId: String
  /// The body says SUCCESS, FAILURE or CANCEL: fetch at once rather than after a quiet spell.
  public let saysFinished: Bool

  public init(taskId: String, saysFinished: Bool) {
    self.taskId = taskId
    self.saysFinished = saysFinished
  }

  /// The hint in a callback body, or nil when it is not a JSON object with a valid task id.
  public init?(body: Data) {
    guard let object = (try? JSONParser.parse(body))?.objectValue, let id = object["id"]?.textValue,
      TaskID.isValid(id)
    else { return nil }
    taskId = id
    saysFinished = object["status"]?.stringValue.map(TaskStatus.init(rawValue:))?.isFinal ?? false
  }
}
