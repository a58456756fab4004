import ArchiveStore
import ArgumentParser

extension MJArchive {
  /// `mjarchive reindex`
  struct Reindex: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Rebuild every derived column and the search index from the stored raw JSON.")

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
      let store = try archive.open(create: false)
      let count = try reportingStoreErrors { () throws(StoreError) in try store.reindex() }
      Console.out("reindexed \(count) task\(count == 1 ? "" : "s")")
    }
  }
}
