import ArchiveStore
import ArgumentParser
import Sync

extension MJArchive {
  /// The `mjarchive reindex [--hashes]` command.
  struct Reindex: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Rebuild every derived column, the lineage and the search index from the stored raw JSON.",
      discussion: """
        With --hashes, hash the pictures stored before perceptual hashes were kept instead (for `similar`), each \
        from its file, on every core; a run stopped half-way keeps what it did.
        """)

    @Flag(help: "Hash the originals and quadrants that have no perceptual hashes yet, and nothing else.")
    var hashes = false

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
      let store = try archive.open(create: false)
      if hashes {
        let progress = StageProgressLine(command: "reindex")
        let report = try CommandFailure.reporting {
          try ArchiveHasher(store: store).run { progress.draw(stage: "hashing", done: $0, total: $1) }
        }
        progress.finish()
        for failure in report.failed { Console.err("mjarchive: not hashed: \(failure.reason)") }
        Console.out("hashed \(report.hashed) picture\(report.hashed == 1 ? "" : "s")")
        if !report.failed.isEmpty { throw ExitCode(1) }
        return
      }
      let count = try reportingStoreErrors { () throws(StoreError) in try store.reindex() }
      Console.out("reindexed \(count) task\(count == 1 ? "" : "s")")
      // Bad lineage data is worth knowing about after a rebuild; it never stops one.
      let problems = try reportingStoreErrors { () throws(StoreError) in try store.lineageProblems() }
      for problem in problems { Console.out("lineage: \(problem)") }
    }
  }
}
