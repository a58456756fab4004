import Foundation
import GRDB

/// Brings an archive to the current schema by `PRAGMA user_version`.
///
/// A new archive gets `schema.sql`, the whole current schema, at once. An archive an older build made
/// takes the frozen migrations it lacks (`SchemaMigration.shipped`), then, where one of them added
/// derived columns, has its derived data rebuilt by the code `reindex` runs.
enum SchemaMigrator {
  /// The newest schema version this build knows.
  static var currentVersion: Int { SchemaMigration.shipped.last?.version ?? 1 }

  /// The embedded `schema.sql`: the whole schema of `currentVersion`.
  static var baseSchema: String {
    String(decoding: PackageResources.schema_sql, as: UTF8.self)
  }

  /// Checks that a reader can use the archive as it is (a reader never migrates).
  ///
  /// - Throws: `StoreError.newerSchema` when the archive is ahead of this build, `.noArchive` for an empty database.
  /// - Returns: The archive's schema version.
  @discardableResult
  static func checkReadable(_ db: Database, path: String) throws -> Int {
    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    guard version <= currentVersion else {
      throw StoreError.newerSchema(path: path, found: version, supported: currentVersion)
    }
    guard version > 0 else {
      throw StoreError.noArchive(path: (path as NSString).deletingLastPathComponent)
    }
    return version
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
      return
    }
    let missing = SchemaMigration.shipped.filter { $0.version > version }
    // Each shipped migration ends by setting its own version (SchemaUpgradeTests checks it).
    for migration in missing {
      try db.execute(sql: migration.sql)
    }
    if missing.contains(where: \.rebuildsDerivedData) {
      try ArchiveStore.rebuildDerivedData(in: db)
    }
  }
}
