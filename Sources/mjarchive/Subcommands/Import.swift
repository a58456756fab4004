import ArchiveStore
import ArgumentParser
import Basics
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive import <file>` command.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Store task JSON exported by other tools: an array, JSON lines, or objects one after another.")

    @Argument(help: "The file to import, or - for standard input (e.g. `curl …/mj/task/list | mjarchive import -`).")
    var file: String

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
      // Bulk ingest touches every index; at 1M tasks 64 MB made lineage's b-trees evict each other (+24% time).
      let store = try archive.open(pageCacheMegabytes: 256)
      let name = file == "-" ? "standard input" : file.singleLine(limit: 200)
      let report = try reportingStoreErrors { () throws(StoreError) in
        try store.importTasks(from: file) { failure in
          Console.err(
            "mjarchive: \(name): record \(failure.record) (line \(failure.line)): \(failure.reason.singleLine())")
        }
      }
      if output.json {
        Console.out(report.json.serialized())
      } else {
        Console.out(
          "imported \(report.accepted) task\(report.accepted == 1 ? "" : "s"): \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged"
            + (report.failed == 0 ? "" : "; \(report.failed) record\(report.failed == 1 ? "" : "s") failed"))
      }
      if report.failed > 0 { throw ExitCode.failure }
    }
  }
}
