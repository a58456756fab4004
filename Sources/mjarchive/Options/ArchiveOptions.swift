import ArchiveStore
import ArgumentParser
import Foundation

/// `--archive DIR`: which archive folder to use.
struct ArchiveOptions: ParsableArguments {
  @Option(
    help: "Archive folder (default: $MJARCHIVE_DIR, else $XDG_DATA_HOME/mjarchive, else ~/.local/share/mjarchive).")
  var archive: String?

  func validate() throws {
    if let archive, archive.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--archive needs a folder path (an empty one would mean the current folder)")
    }
  }

  /// The archive folder.
  var directory: URL {
    archive.map { URL(fileURLWithPath: $0) } ?? ArchiveStore.defaultDirectory()
  }

  /// Opens the archive for writing (creating it unless `create` is false), printing a one-line error and exiting 1 when it cannot be used.
  func open(create: Bool = true, pageCacheMegabytes: Int = 64) throws -> ArchiveStore {
    try reportingStoreErrors { () throws(StoreError) in
      try ArchiveStore(directory: directory, create: create, pageCacheMegabytes: pageCacheMegabytes)
    }
  }

  /// Opens the archive for reading only: no migration, no write, no waiting for a sync that is writing.
  func openForReading(pageCacheMegabytes: Int = 64) throws -> ArchiveStore {
    try reportingStoreErrors { () throws(StoreError) in
      try ArchiveStore(readingFrom: directory, pageCacheMegabytes: pageCacheMegabytes)
    }
  }
}
