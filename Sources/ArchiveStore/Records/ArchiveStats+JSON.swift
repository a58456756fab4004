import MidjourneyAPI

extension ArchiveStats {
  /// The counts as `stats --json` prints them.
  public var json: JSONValue {
    var object = JSONObject()
    object["tasks"] = .integer(tasks)
    object["unfetched"] = .integer(unfetched)
    object["byAction"] = .object(
      JSONObject(byAction.map { JSONObject.Member(key: $0.0, value: .integer($0.1)) }))
    object["byStatus"] = .object(
      JSONObject(byStatus.map { JSONObject.Member(key: $0.0, value: .integer($0.1)) }))
    object["archiveBytes"] = .integer(archiveBytes)
    object["newestTaskId"] = newestTaskId.map(JSONValue.string) ?? .null
    object["withoutImages"] = .integer(withoutImages)
    object["pendingSubmits"] = .integer(pendingSubmits)
    object["callbacks"] = .object(
      JSONObject(callbacks.named.map { JSONObject.Member(key: $0.0, value: .integer($0.1)) }))
    object["lastSyncs"] = .array(
      lastRuns.map { run in
        var entry = JSONObject()
        entry["startedAt"] = .integer(run.startedAt)
        entry["finishedAt"] = run.finishedAt.map(JSONValue.integer) ?? .null
        entry["status"] = .string(run.status)
        entry["tasksFetched"] = .integer(run.counts.tasksFetched)
        entry["imagesDownloaded"] = .integer(run.counts.imagesDownloaded)
        entry["bytesDownloaded"] = .integer(run.counts.bytesDownloaded)
        entry["failed"] = .integer(run.counts.failed)
        return .object(entry)
      })
    return .object(object)
  }
}
