import ArchiveStore
import ArgumentParser
import Foundation

/// `--archive DIR`: which archive folder to use.
struct ArchiveOptions: ParsableArguments {
  @Option(help: "Archive folder (default: $MJARCHIVE_DIR, else $XDG_DATA_HOME/mjarchive, else ~/.local/share/mjarchive).")
  var archive: String?

  /// The archive folder.
  var directory: URL {
    archive.map { URL(fileURLWithPath: $0) } ?? ArchiveStore.defaultDirectory()
  }

  /// Opens the archive, printing a one-line error and exiting 1 when it cannot be used.
  func open(create: Bool = true) throws -> ArchiveStore {
    do {
      return try ArchiveStore(directory: directory, create: create)
    } catch {
      Console.err("mjarchive: \(error.description)")
      throw ExitCode.failure
    }
  }
}
