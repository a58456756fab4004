import ArchiveStore
import ArgumentParser
import Foundation
import MidjourneyAPI

extension MJArchive {
  /// `mjarchive stats`
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Counts by action and status, archive size, newest task, tasks without images.")

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      let store = try archive.openForReading()
      let stats = try reportingStoreErrors { () throws(StoreError) in try store.stats() }
      if output.json {
        var object = JSONObject()
        object["tasks"] = .integer(stats.tasks)
        object["unfetched"] = .integer(stats.unfetched)
        object["byAction"] = .object(JSONObject(stats.byAction.map { JSONObject.Member(key: $0.0, value: .integer($0.1)) }))
        object["byStatus"] = .object(JSONObject(stats.byStatus.map { JSONObject.Member(key: $0.0, value: .integer($0.1)) }))
        object["archiveBytes"] = .integer(stats.archiveBytes)
        object["newestTaskId"] = stats.newestTaskId.map(JSONValue.string) ?? .null
        object["withoutImages"] = .integer(stats.withoutImages)
        Console.out(JSONValue.object(object).serialized())
        return
      }
      Console.out("archive        \(archive.directory.path)")
      Console.out("tasks          \(stats.tasks) (\(stats.unfetched) more known but not fetched)")
      Console.out("by action      " + stats.byAction.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
      Console.out("by status      " + stats.byStatus.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
      Console.out("size on disk   " + ByteCountFormatter.string(fromByteCount: stats.archiveBytes, countStyle: .file))
      if let newest = stats.newestTaskId {
        Console.out("newest task    \(newest)" + (stats.newestSubmitTime.map { " (\(DateText.utc($0)))" } ?? ""))
      }
      Console.out("without images \(stats.withoutImages)")
    }
  }
}
