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
      Console.out(bytes: Data(stats.text(archive: archive.directory.path).utf8))
    }
  }
}
