import MidjourneyAPI

extension SimilarImage {
  /// The picture as `similar --json` prints it, one object a line, with its task's prompt.
  public func json(by algorithm: HashAlgorithm, prompt: String?) -> JSONValue {
    var object = JSONObject()
    object["distance"] = .integer(Int64(distance(by: algorithm)))
    object["phashDistance"] = .integer(Int64(pHashDistance))
    object["dhashDistance"] = .integer(Int64(dHashDistance))
    object["task"] = .string(image.taskId)
    object["part"] = .integer(Int64(image.part))
    object["kind"] = .string(image.kind)
    object["path"] = .string(image.path)
    object["sha256"] = .string(image.sha256)
    object["prompt"] = prompt.map(JSONValue.string) ?? .null
    return .object(object)
  }
}
