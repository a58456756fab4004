import Foundation
import GRDB

/// Brings an archive to the current schema by `PRAGMA user_version`.
///
/// Version 1 is `schema.sql` as embedded at build time. Later versions append to `migrations`;
/// a shipped entry never changes, so every archive takes the same path to the same schema.
enum SchemaMigrator {
  /// Schema changes after version 1, in order: `migrations[0]` takes version 1 to 2, and so on.
  static let migrations: [String] = []

  /// The newest schema version this build knows.
  static var currentVersion: Int { 1 + migrations.count }

  /// The embedded `schema.sql`.
  static var baseSchema: String {
    String(decoding: PackageResources.schema_sql, as: UTF8.self)
  }

  /// Checks that a reader can use the archive as it is (a reader never migrates).
  ///
  /// - Throws: `StoreError.newerSchema` when the archive is ahead of this build, `.noArchive` for an empty database.
  static func checkReadable(_ db: Database, path: String) throws {
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    guard version <= currentVersion else {
      throw StoreError.newerSchema(path: path, found: version, supported: currentVersion)
    }
    guard version > 0 else {
      throw StoreError.noArchive(path: (path as NSString).deletingLastPathComponent)
    }
  }

  /// Applies what is missing.
  ///
  /// - Throws: `StoreError.newerSchema` when the archive is ahead of this build.
  static func migrate(_ db: Database, path: String) throws {
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    guard version <= currentVersion else {
      throw StoreError.newerSchema(path: path, found: version, supported: currentVersion)
    }
    if version == 0 {
      try db.execute(sql: baseSchema)
    }
    for (offset, migration) in migrations.enumerated() where offset + 2 > max(version, 1) {
      try db.execute(sql: migration)
      try db.execute(sql: "PRAGMA user_version = \(offset + 2)")
    }
  }
}
