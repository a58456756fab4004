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
  let pool: DatabasePool

  /// Where archives live by default: `$MJARCHIVE_DIR`, else `$XDG_DATA_HOME/mjarchive`, else `~/.local/share/mjarchive`.
  public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let explicit = environment["MJARCHIVE_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
      return URL(fileURLWithPath: data).appendingPathComponent("mjarchive")
    }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/mjarchive")
  }

  /// Opens (or, with `create`, makes) the archive in `directory`.
  ///
  /// A file that is not SQLite is refused before anything is written to it.
  ///
  /// - Throws: `StoreError.notAnArchive`, `.newerSchema`, `.cannotOpen`.
  public init(directory: URL, create: Bool = true) throws(StoreError) {
    self.directory = directory
    self.databaseURL = directory.appendingPathComponent("archive.sqlite")
    let path = databaseURL.path
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      guard create else {
        throw StoreError.cannotOpen(path: directory.path, reason: "there is no archive there yet; `mjarchive track`, `import` or a submit command creates it")
      }
      do {
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
      } catch {
        throw StoreError.cannotOpen(path: directory.path, reason: "the folder cannot be created")
      }
    } else if let handle = FileHandle(forReadingAtPath: path) {
      let header = handle.readData(ofLength: 16)
      try? handle.close()
      if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
        throw StoreError.notAnArchive(path: path)
      }
    }
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .timeout(10)
    configuration.label = "mjarchive"
    configuration.prepareDatabase { db in
      // A 64 MB page cache keeps the FTS and index pages in memory while ingesting (the 2 MB default
      // re-read them from the OS on every insert); NORMAL is durable enough in WAL mode.
      try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY")
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      try pool.write { db in try SchemaMigrator.migrate(db, path: path) }
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      throw StoreError.notAnArchive(path: path)
    } catch let error as DatabaseError {
      throw StoreError.cannotOpen(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
    } catch {
      throw StoreError.cannotOpen(path: path, reason: String(describing: error))
    }
  }

  /// Runs a read, turning database errors into `StoreError`.
  func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.read(body)
    } catch {
      throw Self.storeError(error)
    }
  }

  /// Runs a write transaction, turning database errors into `StoreError`.
  func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
    do {
      return try pool.write(body)
    } catch {
      throw Self.storeError(error)
    }
  }

  static func storeError(_ error: any Error) -> StoreError {
    if let error = error as? StoreError { return error }
    if let error = error as? DatabaseError {
      let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
      if message.hasPrefix("fts5:") || message.contains("unterminated string") || message.contains("no such column") {
        return .invalidQuery(message.replacingOccurrences(of: "fts5: ", with: ""))
      }
      return .database(message)
    }
    return .database(String(describing: error))
  }

  static func nowMilliseconds() -> Int64 {
    Int64(Date().timeIntervalSince1970 * 1000)
  }
}
