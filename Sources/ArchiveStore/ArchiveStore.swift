import Basics
import CSQLiteConfig
import Foundation
import GRDB
import MidjourneyAPI

/// The archive database: every task the gateway described, searchable, with its lineage hints.
///
/// The only SQL writer in mjarchive. WAL mode, foreign keys on, one writer at a time.
public final class ArchiveStore: Sendable {
  /// The archive folder.
  public let directory: URL
  /// `archive.sqlite` inside it.
  public let databaseURL: URL
  let database: any DatabaseWriter

  /// Where archives live by default: `$MJARCHIVE_DIR`, else `$XDG_DATA_HOME/mjarchive`, else `~/.local/share/mjarchive`.
  public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let explicit = environment["MJARCHIVE_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
      return URL(fileURLWithPath: data).appendingPathComponent("mjarchive")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/mjarchive")
  }

  /// Opens the archive in `directory` for writing (or, with `create`, makes it), bringing its schema up to date.
  ///
  /// A new archive is private: the folder is made 0700 and the database 0600 whatever the umask,
  /// as it holds prompts and signed image links. A file that is not SQLite is refused before
  /// anything is written to it.
  ///
  /// - Parameter pageCacheMegabytes: SQLite's page cache per connection: large for bulk ingest,
  ///   small where the process should stay small (a sync run from cron).
  /// - Throws: `StoreError.notAnArchive`, `.newerSchema`, `.cannotOpen`.
  public init(directory: URL, create: Bool = true, pageCacheMegabytes: Int = 64) throws(StoreError) {
    _ = Self.sqliteConfigured
    self.directory = directory
    self.databaseURL = directory.appendingPathComponent("archive.sqlite")
    self.isReadOnly = false
    let path = databaseURL.path
    if try !Self.checkExisting(directory: directory, database: databaseURL) {
      guard create else { throw StoreError.noArchive(path: directory.path) }
      try Self.createPrivately(directory: directory, database: databaseURL)
    }
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .timeout(10)
    configuration.label = "mjarchive"
    let cacheKilobytes = max(2, pageCacheMegabytes) * 1024
    configuration.prepareDatabase { db in
      // A 64 MB page cache keeps the FTS and index pages in memory while ingesting (the 2 MB default
      // re-read them from the OS on every insert); NORMAL is durable enough in WAL mode. The page
      // size counts only in a new archive (see `pageSize`).
      try db.execute(
        sql: """
          PRAGMA page_size = \(Self.pageSize); PRAGMA cache_size = -\(cacheKilobytes); PRAGMA synchronous = NORMAL;
          PRAGMA temp_store = MEMORY
          """)
    }
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      try pool.write { db in try SchemaMigrator.migrate(db, path: path) }
      database = pool
    } catch {
      throw Self.openingError(error, path: path)
    }
  }

  /// SQLite's global settings, made once before the first connection opens.
  ///
  /// Memory statistics are off: they took a process-wide lock on each of SQLite's allocations, 4% of
  /// an import's writer, and nothing here reads them.
  private static let sqliteConfigured: Void = { _ = csqlite_disable_memory_statistics() }()

  /// The page size of a new archive, in bytes.
  ///
  /// A task's row is about 3.3 KB, most of it the JSON as received: one row filled a 4 KB page and
  /// wasted the rest, and each page is a frame in the log and a copy at checkpoint. At 16 KB four
  /// rows share a page: a 200k import took 6% less time, a 1M import 10% less. An existing archive
  /// keeps the size it was made with (SQLite changes it only by `VACUUM`, outside WAL mode).
  static let pageSize = 16_384

  /// Opens an existing archive for reading only: never migrates, never writes, never waits for a writer.
  ///
  /// Works on an archive the user may read but not write. In WAL mode a reader needs the `-shm`
  /// file; where the folder is not writable and that file cannot be made, the database is read as
  /// immutable (nobody can be writing to it through this folder's permissions anyway).
  ///
  /// An archive made by an older build is first brought up to date by a writer, where this user may write.
  ///
  /// - Parameter pageCacheMegabytes: SQLite's page cache: large for many lookups, small for one pass over
  ///   everything (an export reads each page once).
  /// - Throws: `StoreError.noArchive`, `.notAnArchive`, `.newerSchema`, `.olderSchema`, `.cannotOpen`.
  public convenience init(readingFrom directory: URL, pageCacheMegabytes: Int = 64) throws(StoreError) {
    do {
      try self.init(readingOnly: directory, pageCacheMegabytes: pageCacheMegabytes)
    } catch .olderSchema(let path, let found, let current) {
      do {
        _ = try ArchiveStore(directory: directory, create: false, pageCacheMegabytes: 8)
      } catch {
        throw StoreError.olderSchema(path: path, found: found, current: current)
      }
      try self.init(readingOnly: directory, pageCacheMegabytes: pageCacheMegabytes)
    }
  }

  private init(readingOnly directory: URL, pageCacheMegabytes: Int) throws(StoreError) {
    _ = Self.sqliteConfigured
    self.directory = directory
    self.databaseURL = directory.appendingPathComponent("archive.sqlite")
    self.isReadOnly = true
    let path = databaseURL.path
    guard try Self.checkExisting(directory: directory, database: databaseURL) else {
      throw StoreError.noArchive(path: directory.path)
    }
    var configuration = Configuration()
    configuration.readonly = true
    // Readers in WAL mode do not wait for writers; this only covers a checkpoint's brief moment.
    configuration.busyMode = .timeout(1)
    configuration.label = "mjarchive-reader"
    let cacheKilobytes = max(2, pageCacheMegabytes) * 1024
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(cacheKilobytes)") }
    var opened: DatabaseQueue?
    var firstError: (any Error)?
    let immutable =
      "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
    for candidate in [path, immutable] {
      do {
        let queue = try DatabaseQueue(path: candidate, configuration: configuration)
        let version = try queue.read { db in try SchemaMigrator.checkReadable(db, path: path) }
        guard version == SchemaMigrator.currentVersion else {
          throw StoreError.olderSchema(path: path, found: version, current: SchemaMigrator.currentVersion)
        }
        opened = queue
        break
      } catch let error as DatabaseError
        where error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN
      {
        firstError = firstError ?? error
      } catch {
        throw Self.openingError(error, path: path)
      }
    }
    guard let opened else {
      throw Self.openingError(firstError ?? StoreError.noArchive(path: directory.path), path: path)
    }
    database = opened
  }

  /// True when the archive was opened with `init(readingFrom:)`.
  public let isReadOnly: Bool

  /// Checkpoints for bulk writes, once the first bulk batch is stored (`checkpointInBackground`).
  let checkpointer = Locked<BackgroundCheckpointer?>(nil)

  deinit {
    checkpointer.withLock { $0?.finish() }
  }

  /// Checks what is at `directory`: false when there is no archive yet.
  ///
  /// - Throws: `StoreError.cannotOpen` when `directory` is a file, `.notAnArchive` when the database file is not SQLite.
  private static func checkExisting(directory: URL, database: URL) throws(StoreError) -> Bool {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), !isFolder.boolValue {
      throw StoreError.cannotOpen(
        path: directory.path, reason: "it is a file, not a folder: point --archive at a folder")
    }
    guard FileManager.default.fileExists(atPath: database.path) else { return false }
    guard let handle = FileHandle(forReadingAtPath: database.path) else {
      throw StoreError.cannotOpen(path: database.path, reason: "permission denied")
    }
    let header = handle.readData(ofLength: 16)
    try? handle.close()
    if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
      throw StoreError.notAnArchive(path: database.path)
    }
    return true
  }

  /// Makes the folder (0700) and an empty database file (0600), whatever the umask.
  private static func createPrivately(directory: URL, database: URL) throws(StoreError) {
    let manager = FileManager.default
    // A link to a folder is followed (archives kept on another disk); a link to nowhere is named as such.
    if let target = try? manager.destinationOfSymbolicLink(atPath: directory.path),
      !manager.fileExists(atPath: directory.path)
    {
      throw StoreError.cannotOpen(
        path: directory.path, reason: "it is a symbolic link to \(target), which does not exist: make that folder first"
      )
    }
    do {
      let parent = directory.deletingLastPathComponent()
      if !manager.fileExists(atPath: parent.path) {
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
      }
      if !manager.fileExists(atPath: directory.path) {
        try manager.createDirectory(at: directory, withIntermediateDirectories: false)
        guard chmod(directory.path, 0o700) == 0 else { throw CocoaError(.fileWriteNoPermission) }
      }
    } catch {
      throw StoreError.cannotOpen(path: directory.path, reason: "the folder cannot be created (\(Self.reason(errno)))")
    }
    let descriptor = open(database.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw StoreError.cannotOpen(path: database.path, reason: "the database cannot be created (\(Self.reason(errno)))")
    }
    // SQLite gives the -wal and -shm files the database file's permissions.
    fchmod(descriptor, 0o600)
    close(descriptor)
  }

  private static func reason(_ code: Int32) -> String {
    code == 0 ? "unknown error" : String(cString: strerror(code))
  }

  private static func openingError(_ error: any Error, path: String) -> StoreError {
    if let error = error as? StoreError { return error }
    if let error = error as? DatabaseError {
      if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT { return .notAnArchive(path: path) }
      return .cannotOpen(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
    }
    return .cannotOpen(path: path, reason: String(describing: error))
  }

  /// Runs a read, turning database errors into `StoreError`.
  func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try database.read(body)
    } catch {
      throw Self.storeError(error)
    }
  }

  /// Runs a write transaction, turning database errors into `StoreError`.
  func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    guard !isReadOnly else { throw StoreError.readOnly(path: directory.path) }
    do {
      return try database.write(body)
    } catch {
      throw Self.storeError(error)
    }
  }

  static func storeError(_ error: any Error) -> StoreError {
    if let error = error as? StoreError { return error }
    if let error = error as? DatabaseError {
      let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
      // FTS5's complaints about a MATCH expression; "expected integer" is NEAR's distance (found by fuzzing).
      let queryMistakes = ["unterminated string", "no such column", "expected integer, got", "unknown special query"]
      if message.hasPrefix("fts5:") || queryMistakes.contains(where: message.contains) {
        return .invalidQuery(message.replacingOccurrences(of: "fts5: ", with: ""))
      }
      return .database(message)
    }
    return .database(String(describing: error))
  }

  /// `values` in runs of 500, each small enough to bind as one statement's parameters.
  static func chunks<T>(of values: [T]) -> [ArraySlice<T>] {
    stride(from: 0, to: values.count, by: 500).map { values[$0..<min($0 + 500, values.count)] }
  }

  /// `count` placeholders for an `IN (…)` list: "?, ?, ?".
  static func marks(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }

  static func nowMilliseconds() -> Int64 {
    Int64(Date().timeIntervalSince1970 * 1000)
  }
}
