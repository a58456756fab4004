import MidjourneyAPI

/// A task with everything derived from it in Swift (its row and its prompt's parameters), ready for
/// the writer: made off the writer's thread where the caller can (`import` does, on its reading thread).
struct PreparedTask: Sendable {
  let task: GatewayTask
  let record: TaskRecord
  let parameters: PromptParameters

  init(_ task: GatewayTask) {
    self.task = task
    record = TaskRecord(task: task)
    parameters = PromptParameters(parsing: record.parameterSource)
  }
}
