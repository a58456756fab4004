/// An accepted submit: the new (or existing) task id, how it was taken, and the full answer.
public struct SubmitResult: Sendable, Equatable {
  public var taskId: String
  public var outcome: SubmitResponse.Outcome
  public var response: SubmitResponse

  public init(taskId: String, outcome: SubmitResponse.Outcome, response: SubmitResponse) {
    self.taskId = taskId
    self.outcome = outcome
    self.response = response
  }
}
