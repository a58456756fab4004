import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive stats` command.
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Counts by action and status, archive size, newest task, tasks without images.")

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      let store = try archive.openForReading()
      let stats = try reportingStoreErrors { () throws(StoreError) in try store.stats() }
      if output.json {
        Console.out(stats.json.serialized())
        return
      }
      Console.out("archive        \(archive.directory.path)")
      Console.out("tasks          \(stats.tasks) (\(stats.unfetched) more known but not fetched)")
      Console.out(
        "by action      " + stats.byAction.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
      Console.out(
        "by status      " + stats.byStatus.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
      Console.out("size on disk   " + ByteCountFormatter.string(fromByteCount: stats.archiveBytes, countStyle: .file))
      if let newest = stats.newestTaskId {
        Console.out("newest task    \(newest)" + (stats.newestSubmitTime.map { " (\(DateText.utc($0)))" } ?? ""))
      }
      Console.out("without images \(stats.withoutImages)")
      if stats.pendingSubmits > 0 {
        Console.out("lost submits   \(stats.pendingSubmits) (`mjarchive track --pending` looks for their tasks)")
      }
      for (index, run) in stats.lastRuns.enumerated() {
        let counts = run.counts
        let bytes = ByteCountFormatter.string(fromByteCount: Int64(counts.bytesDownloaded), countStyle: .file)
        Console.out(
          (index == 0 ? "last syncs     " : "               ")
            + "\(DateText.utc(run.startedAt)) \(run.status): \(counts.tasksFetched) tasks, \(counts.imagesDownloaded) images (\(bytes)), \(counts.failed) failed"
        )
      }
    }
  }
}
