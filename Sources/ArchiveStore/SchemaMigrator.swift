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
    -- images and sync_runs were never written by version 1: remade with what sync records.
    DROP TABLE images;
    CREATE TABLE images (
      task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,                   -- original | quadrant | thumbnail
      part INTEGER NOT NULL DEFAULT 0,      -- quadrant 1-4 (U1-U4), 0 for the whole image
      edge INTEGER NOT NULL DEFAULT 0,      -- a thumbnail's longest edge, 0 otherwise
      path TEXT NOT NULL,                   -- relative to the archive folder
      sha256 TEXT NOT NULL,
      format TEXT NOT NULL,                 -- PNG | WEBP | JPEG
      width INTEGER,
      height INTEGER,
      bytes INTEGER NOT NULL,
      source_url TEXT,                      -- the link an original was downloaded from
      split INTEGER NOT NULL DEFAULT 0,     -- on an original: 1 once its quadrants are made, 2 when it is not split
      created_at INTEGER NOT NULL,
      PRIMARY KEY (task_id, kind, part, edge)
    ) WITHOUT ROWID;
    CREATE INDEX images_sha256 ON images(sha256);
    DROP TABLE sync_runs;
    CREATE TABLE sync_runs (
      id INTEGER PRIMARY KEY,
      started_at INTEGER NOT NULL,          -- unix milliseconds
      finished_at INTEGER,
      tasks_fetched INTEGER NOT NULL DEFAULT 0,
      tasks_changed INTEGER NOT NULL DEFAULT 0,
      images_downloaded INTEGER NOT NULL DEFAULT 0,
      bytes_downloaded INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      requests INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL DEFAULT 'running' -- running | done | failed | interrupted
    );
    -- Newest-first search follows seq (FTS5's rowid): key it by when each task was made,
    -- (milliseconds << 14) + a counter, as ArchiveStore.sequence(madeAt:) does for new tasks.
    CREATE TEMP TABLE rekey AS SELECT seq AS old, (made << 14) + row_number() OVER (PARTITION BY made ORDER BY seq) - 1 AS new
      FROM (SELECT seq, min(max(coalesce(nullif(submit_time, 0), first_seen), 0), 562949953421310) AS made FROM tasks);
    CREATE INDEX rekey_old ON rekey(old);
    UPDATE tasks SET seq = (SELECT new FROM rekey WHERE old = tasks.seq);
    DROP TABLE rekey;
    INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild');
    PRAGMA user_version = 2;
    """
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
