import ArchiveStore
import ArgumentParser

extension MJArchive {
  /// The `mjarchive reindex` command.
  struct Reindex: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Rebuild every derived column, the lineage and the search index from the stored raw JSON.")

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
      let store = try archive.open(create: false)
      let count = try reportingStoreErrors { () throws(StoreError) in try store.reindex() }
      Console.out("reindexed \(count) task\(count == 1 ? "" : "s")")
      // Bad lineage data is worth knowing about after a rebuild; it never stops one.
      let problems = try reportingStoreErrors { () throws(StoreError) in try store.lineageProblems() }
      for problem in problems { Console.out("lineage: \(problem)") }
    }
  }
}
