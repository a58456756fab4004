import Foundation
import GRDB

/// Brings an archive to the current schema by `PRAGMA user_version`.
///
/// Version 1 is `schema.sql` as embedded at build time. Later versions append to `migrations`;
/// a shipped entry never changes, so every archive takes the same path to the same schema.
enum SchemaMigrator {
  /// Schema changes after version 1, in order: `migrations[0]` takes version 1 to 2, and so on.
  static let migrations: [String] = [
    // 2: every submit is recorded before it is sent, so a task whose answer was lost can be found
    // later by the correlation `state` it carried (the gateway echoes it in the task).
    """
    CREATE TABLE submissions (
      state TEXT PRIMARY KEY NOT NULL,      -- the correlation value sent with the submit
      route TEXT NOT NULL,                  -- imagine | blend | describe | shorten | action
      request BLOB NOT NULL,                -- the JSON body sent (image data URLs summarised)
      parent_id TEXT,                       -- for actions: the task whose button was pressed …
      custom_id TEXT,                       -- … and the button
      sent_at INTEGER NOT NULL,             -- unix milliseconds, recorded before sending
      outcome TEXT NOT NULL DEFAULT 'sending', -- sending | accepted | refused | not_sent | unknown | found | not_found
      task_id TEXT,                         -- the task, once known
      detail TEXT,                          -- why it failed or was not found
      resolved_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX submissions_outcome ON submissions(outcome);
    PRAGMA user_version = 2;
    """,
  ]

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
