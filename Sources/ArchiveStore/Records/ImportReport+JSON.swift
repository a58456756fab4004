import MidjourneyAPI

extension ImportReport {
  /// What `import --json` prints.
  public var json: JSONValue {
    var object = JSONObject()
    object["inserted"] = .integer(inserted)
    object["updated"] = .integer(updated)
    object["unchanged"] = .integer(unchanged)
    object["failed"] = .integer(failed)
    return .object(object)
  }
}
