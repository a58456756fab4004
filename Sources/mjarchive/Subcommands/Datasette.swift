import ArchiveStore
import ArgumentParser
import Foundation
import SafeFiles
import Sync

extension MJArchive {
  /// The `mjarchive datasette [--write FILE]` command.
  struct Datasette: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write Datasette's metadata for the archive: full-text search, facets, sorting and canned queries.",
      discussion: """
        Then browse the archive with `datasette ARCHIVE/archive.sqlite -m FILE` (Datasette 0.65): the \
        task_overview view with facets by action, status, aspect ratio, version and day; search in FTS5's own \
        syntax (prompt: fox, "a phrase", 黑猫 through the CJK column); canned queries for a task's family, its \
        images, the newest upscales and pictures stored for several tasks. Datasette reads the archive beside a \
        running sync. Do not pass --immutable or -i: it tells SQLite the file never changes, which a synced \
        archive does.
        """)

    @Option(help: "Write the metadata into this file (replaced whole, never half written) instead of printing it.")
    var write: String?

    @Option(help: "The title Datasette shows.")
    var title = "Midjourney archive"

    @OptionGroup var archive: ArchiveOptions

    func run() throws {
      let store = try archive.openForReading()
      let metadata = DatasetteMetadata.json(title: title)
      guard let write else {
        Console.out(bytes: Data(metadata.utf8))
        return
      }
      let file = URL(fileURLWithPath: write)
      try CommandFailure.reporting {
        try OwnedFolder(file.deletingLastPathComponent(), create: false).write(
          Array(metadata.utf8), to: file.lastPathComponent)
      }
      Console.out(
        "datasette \(ProgramQuoting.shellWord(store.databaseURL.path)) -m \(ProgramQuoting.shellWord(file.path))")
    }
  }
}
