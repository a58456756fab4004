extension SchemaMigration {
  /// Versions 5 to 12 (frozen, as shipped): the buttons view, task history, settings, the overview view, the
  /// images index, seeds, perceptual hashes and the change counter.
  static let sideTablesAndViews: [SchemaMigration] = [
    // 5: a task's buttons are read from its raw JSON instead of being stored a second time: their
    // ten rows a task were a fifth of the archive's bytes and up to a fifth of import time (bench/RESULTS.md).
    // `buttons` stays, as a view with the same columns, so queries and the sqlite3 shell read it as
    // before. The JSON is cast to text (newer SQLite reads a BLOB as JSONB), and a row that is not
    // JSON (written by another program) has no buttons rather than failing the query.
    SchemaMigration(
      version: 5, rebuildsDerivedData: false,
      sql: """
        DROP TABLE buttons;
        CREATE VIEW buttons (task_id, position, custom_id, label, emoji, style, type) AS
          SELECT t.id, b.key, b.value ->> 'customId', coalesce(b.value ->> 'label', ''),
            coalesce(b.value ->> 'emoji', ''), b.value ->> 'style', b.value ->> 'type'
          FROM tasks t, json_each(
            CASE WHEN json_valid(CAST(t.raw_json AS TEXT)) THEN CAST(t.raw_json AS TEXT) ELSE '{}' END, '$.buttons') b
          WHERE typeof(b.key) = 'integer' AND b.type = 'object' AND coalesce(b.value ->> 'customId', '') <> '';
        PRAGMA user_version = 5;
        """),
    // 6: nothing the gateway once said of a finished task is lost. A finished task's raw JSON that a later,
    // different answer replaces is kept here, and so is an unfinished answer that arrives after the task
    // finished (which never replaces it in `tasks`).
    SchemaMigration(
      version: 6, rebuildsDerivedData: false,
      sql: """
        CREATE TABLE task_history (
          task_id TEXT NOT NULL,
          raw_json BLOB NOT NULL,
          recorded_at INTEGER NOT NULL,
          reason TEXT NOT NULL CHECK (reason IN ('replaced', 'unfinished after finished'))
        );
        CREATE INDEX task_history_task ON task_history (task_id);
        PRAGMA user_version = 6;
        """),
    // 7: the archive remembers where its images live (a bucket, with its endpoint and the cache's size).
    SchemaMigration(
      version: 7, rebuildsDerivedData: false,
      sql: """
        CREATE TABLE settings (
          name TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;
        PRAGMA user_version = 7;
        """),
    // 8: a view of the tasks without their raw JSON, with the aspect ratio, version and day to facet on:
    // what Datasette browses by default with `mjarchive datasette`'s metadata.
    SchemaMigration(
      version: 8, rebuildsDerivedData: false,
      sql: """
        CREATE VIEW task_overview AS
          SELECT t.seq, t.id, t.action, t.status, t.prompt, t.final_prompt, t.description, t.fail_reason,
            p.aspect_ratio, coalesce('niji ' || p.niji, p.version) AS version,
            date(t.submit_time / 1000, 'unixepoch') AS day, t.submit_time, t.finish_time, t.parent_id, t.image_url
          FROM tasks t LEFT JOIN task_parameters p ON p.task_id = t.id;
        PRAGMA user_version = 8;
        """),
    // 9: the image triggers ask whether another row names the same file (`sha256 IS x AND path = y`). With an
    // index on sha256 alone, that walked every row of that content: each insert of a picture stored under
    // many tasks cost as many lookups, and a first sync of 12,000 such grids took minutes (bench/RESULTS.md).
    SchemaMigration(
      version: 9, rebuildsDerivedData: false,
      sql: """
        DROP INDEX images_sha256;
        CREATE INDEX images_sha256 ON images(sha256, path);
        PRAGMA user_version = 9;
        """),
    // 10: the seeds of finished grids, asked of the gateway (`sync --seeds`): not in the task's JSON, so kept
    // beside it and never rebuilt.
    SchemaMigration(
      version: 10, rebuildsDerivedData: false,
      sql: """
        CREATE TABLE image_seeds (
          task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
          seed TEXT,
          recorded_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX image_seeds_seed ON image_seeds(seed) WHERE seed IS NOT NULL;
        PRAGMA user_version = 10;
        """),
    // 11: perceptual hashes of originals and quadrants, keyed by content (`similar`, `duplicates`). Made as
    // images are split and thumbnailed; `reindex --hashes` makes those of files stored before.
    SchemaMigration(
      version: 11, rebuildsDerivedData: false,
      sql: """
        CREATE TABLE image_hashes (
          sha256 TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          hash INTEGER NOT NULL,
          PRIMARY KEY (sha256, algorithm)
        ) WITHOUT ROWID;
        PRAGMA user_version = 11;
        """),
    // 12: a counter of changes to what a gallery shows, so an export with nothing to redo stops after one read
    // instead of reading and fingerprinting every task (a re-export of 100k unchanged tasks took 6.5 s).
    SchemaMigration(
      version: 12, rebuildsDerivedData: false,
      sql: """
        INSERT INTO archive_counts VALUES ('changes', '', 0);
        CREATE TRIGGER tasks_changes_update AFTER UPDATE OF seq, id, action, status, progress, prompt, prompt_en,
          final_prompt, description, fail_reason, state, submit_time, start_time, finish_time, image_url, message_hash,
          message_id, progress_message_id, parent_id, referenced_message_id, parent_custom_id, action_index, bot_type,
          distinct_prompt_en, distinct_final_prompt, cjk_terms, raw_json, parent_message_id, parent_hash, job_hash,
          lineage_kind, lineage_index ON tasks BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER tasks_changes_delete AFTER DELETE ON tasks BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER images_changes_insert AFTER INSERT ON images BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER images_changes_update AFTER UPDATE ON images BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER images_changes_delete AFTER DELETE ON images BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER edges_changes_update AFTER UPDATE ON edges BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER edges_changes_delete AFTER DELETE ON edges BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_seeds_changes_insert AFTER INSERT ON image_seeds BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_seeds_changes_update AFTER UPDATE ON image_seeds BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_seeds_changes_delete AFTER DELETE ON image_seeds BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_hashes_changes_insert AFTER INSERT ON image_hashes BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_hashes_changes_update AFTER UPDATE ON image_hashes BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        CREATE TRIGGER image_hashes_changes_delete AFTER DELETE ON image_hashes BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = '';
        END;
        PRAGMA user_version = 12;
        """),
  ]
}
