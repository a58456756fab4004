extension SubmitResult {
  /// What a submit command prints with `--json`: the task id, how it was taken, the answer as received, and
  /// (with `--wait`) the task as it ended or why following it failed.
  public func json(task: GatewayTask?, error: String?) -> JSONValue {
    var object = JSONObject()
    object["taskId"] = .string(taskId)
    object["outcome"] = .string(outcome.description)
    object["response"] = (try? JSONParser.parse(response.raw)) ?? .null
    if let task { object["task"] = task.json }
    if let error { object["error"] = .string(error) }
    return .object(object)
  }
}
