import MidjourneyAPI

extension VerifyReport {
  /// What `verify --json` prints: the checks, each problem, and what `--repair` did.
  public func json(repaired: RepairReport?) -> JSONValue {
    var object = JSONObject()
    object["clean"] = .bool(isClean)
    object["databaseProblems"] = .array(databaseProblems.map(JSONValue.string))
    object["searchIndexInStep"] = searchIndexInStep.map(JSONValue.bool) ?? .null
    object["rows"] = .integer(rows)
    object["filesChecked"] = .integer(filesChecked)
    object["bytesChecked"] = .integer(Int(bytesChecked))
    if let bucket { object["bucket"] = .string(bucket) }
    object["unhashed"] = .integer(unhashed)
    object["problems"] = .array(
      problems.map { problem in
        var entry = JSONObject()
        entry["kind"] = .string(problem.kind.rawValue)
        entry["path"] = .string(problem.path)
        entry["taskIds"] = .array(problem.taskIds.map(JSONValue.string))
        entry["detail"] = .string(problem.detail)
        if let key = problem.objectKey { entry["objectKey"] = .string(key) }
        return .object(entry)
      })
    if let repaired {
      var entry = JSONObject()
      entry["tasksRepaired"] = .integer(repaired.tasksRepaired)
      entry["imagesDownloaded"] = .integer(repaired.imagesDownloaded)
      entry["requests"] = .integer(repaired.requests)
      entry["straysRemoved"] = .integer(repaired.straysRemoved)
      entry["reuploaded"] = .integer(repaired.reuploaded)
      entry["searchIndexRebuilt"] = .bool(repaired.searchIndexRebuilt)
      entry["keptDamaged"] = .array(repaired.keptDamaged.map(JSONValue.string))
      entry["failures"] = .array(
        repaired.failures.map { failure in
          var item = JSONObject()
          item["taskId"] = failure.taskId.map(JSONValue.string) ?? .null
          item["reason"] = .string(failure.reason)
          return .object(item)
        })
      object["repair"] = .object(entry)
    }
    return .object(object)
  }
}
