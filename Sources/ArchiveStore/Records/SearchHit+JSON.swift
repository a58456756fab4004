import MidjourneyAPI

extension SearchHit {
  /// The hit as `search --json` prints it, one object a line; `withFamilyHits` adds the count of hits in its family.
  public func json(withFamilyHits: Bool) -> JSONValue {
    var object = JSONObject()
    object["id"] = .string(id)
    object["action"] = action.map(JSONValue.string) ?? .null
    object["status"] = status.map(JSONValue.string) ?? .null
    object["progress"] = progress.map(JSONValue.string) ?? .null
    object["prompt"] = prompt.map(JSONValue.string) ?? .null
    object["promptEn"] = promptEn.map(JSONValue.string) ?? .null
    object["finalPrompt"] = finalPrompt.map(JSONValue.string) ?? .null
    object["submitTime"] = submitTime.map(JSONValue.integer) ?? .null
    object["finishTime"] = finishTime.map(JSONValue.integer) ?? .null
    object["imageUrl"] = imageUrl.map(JSONValue.string) ?? .null
    object["messageHash"] = messageHash.map(JSONValue.string) ?? .null
    object["parentId"] = parentId.map(JSONValue.string) ?? .null
    object["rootId"] = .string(rootId)
    object["imagePath"] = imagePath.map(JSONValue.string) ?? .null
    if withFamilyHits { object["familyHits"] = .integer(Int64(familyHits)) }
    var byName = JSONObject()
    for key in parameters.keys.sorted() { byName[key] = .string(parameters[key] ?? "") }
    object["parameters"] = .object(byName)
    return .object(object)
  }
}
