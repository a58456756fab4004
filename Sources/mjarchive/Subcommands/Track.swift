import ArchiveStore
import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// `mjarchive track <id>…`
  struct Track: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add task ids made elsewhere, for sync to fetch.")

    @Argument(help: "Task ids.")
    var ids: [String]

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !ids.isEmpty else { throw ValidationError("give at least one task id") }
      for id in ids { try Validation.taskID(id) }
    }

    func run() throws {
      let store = try archive.open()
      let added = try reportingStoreErrors { () throws(StoreError) in try store.track(ids) }
      Console.out("tracking \(ids.count) task\(ids.count == 1 ? "" : "s") (\(added) new)")
    }
  }
}
