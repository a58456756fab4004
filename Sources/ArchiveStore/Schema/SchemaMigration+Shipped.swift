extension SchemaMigration {
  /// Every migration shipped, in order: `shipped[0]` takes version 1 to 2, and so on.
  ///
  /// Frozen: each is the literal SQL it ran when it shipped, with no constant or function of today's
  /// code, so every archive takes the same path to the same schema. Derived data a migration could not
  /// make in SQL is rebuilt afterwards by `ArchiveStore.rebuildDerivedData`, today's `reindex`.
  /// A new schema version appends here and changes the top-level `schema.sql` to match.
  static let shipped: [SchemaMigration] = [
    // 2: every submit is recorded before it is sent, so a task whose answer was lost can be found
    // later by the correlation `state` it carried (the gateway echoes it in the task).
    SchemaMigration(
      version: 2, rebuildsDerivedData: false,
      sql: """
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
        """),
    // 3: lineage as stored, indexed facts. Every trace of a parent a task carries is in an indexed
    // column, so a link forms whichever task arrives first; `edges` keeps the one link used per child.
    // The version 1 `edges` held only actions submitted here, which known_tasks also records, so it is
    // rebuilt from there, with the new columns, by `rebuildDerivedData`.
    SchemaMigration(
      version: 3, rebuildsDerivedData: true,
      sql: """
        ALTER TABLE tasks ADD COLUMN parent_message_id TEXT;  -- referencedMessageId, else progressMessageId of a step
        ALTER TABLE tasks ADD COLUMN parent_hash TEXT;        -- the job hash inside parent_custom_id
        ALTER TABLE tasks ADD COLUMN job_hash TEXT;           -- messageHash, else the UUID in the image's file name
        ALTER TABLE tasks ADD COLUMN lineage_kind TEXT;       -- the step from the parent: upsample, variation, reroll, zoom, …
        ALTER TABLE tasks ADD COLUMN lineage_index INTEGER;   -- the quadrant (1-4) a U or V button named
        ALTER TABLE known_tasks ADD COLUMN lineage_kind TEXT; -- the step of an action submitted here, from its customId
        ALTER TABLE known_tasks ADD COLUMN lineage_index INTEGER;
        DROP INDEX tasks_message_hash;
        DROP INDEX tasks_parent_id;
        -- A child with a parentId links by it whichever arrives first, so only children without one are
        -- indexed by the traces a parent arriving later looks them up by.
        CREATE INDEX tasks_parent_message_id ON tasks(parent_message_id)
          WHERE parent_message_id IS NOT NULL AND parent_id IS NULL;
        CREATE INDEX tasks_parent_hash ON tasks(parent_hash) WHERE parent_hash IS NOT NULL AND parent_id IS NULL;
        CREATE INDEX tasks_job_hash ON tasks(job_hash) WHERE job_hash IS NOT NULL;
        DROP TABLE edges;
        -- The link used for each child: its strongest trace (1 submitted here, 2 parentId, 3 referenced
        -- message, 4 job hash) that names another task and closes no loop.
        CREATE TABLE edges (
          child_id TEXT PRIMARY KEY NOT NULL,
          parent_id TEXT NOT NULL,              -- the task whose button made the child
          tree_parent_id TEXT,                  -- its parent in the family tree: parent_id, but a reroll sits beside
                                                -- the grid it rerolled (NULL: the reroll of a root starts a new family)
          evidence INTEGER NOT NULL,
          kind TEXT,
          button_index INTEGER,
          custom_id TEXT,
          button TEXT                           -- the button's label (or emoji) as the parent shows it
        ) WITHOUT ROWID;
        CREATE INDEX edges_parent ON edges(parent_id);
        -- Links not used because they would close a loop.
        CREATE TABLE lineage_rejected (
          child_id TEXT NOT NULL,
          evidence INTEGER NOT NULL,
          parent_id TEXT NOT NULL,
          PRIMARY KEY (child_id, evidence, parent_id)
        ) WITHOUT ROWID;
        -- Traces that cannot all be true, kept in step with the edges: selfReference, cycle, conflict.
        CREATE TABLE lineage_problems (
          child_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          evidence INTEGER,
          parent_ids TEXT NOT NULL,             -- comma separated
          PRIMARY KEY (child_id, kind)
        ) WITHOUT ROWID;
        PRAGMA user_version = 3;
        """),
    // 4: what `stats` shows, counted as rows change: counting a million tasks, or walking their files,
    // took seconds. New tasks are counted by the store once per batch (a per-row insert trigger cost
    // 12–19% of ingest); changes, deletions, ids and images by triggers, so other programs' edits count
    // too. Tasks inserted by other programs are counted by `reindex`, as they are indexed by it.
    SchemaMigration(
      version: 4, rebuildsDerivedData: false,
      sql: """
        CREATE TABLE archive_counts (
          kind TEXT NOT NULL,                   -- action | status | unfetched | without_images | image_bytes
          key TEXT NOT NULL,                    -- the action or status ('?' for none); '' for the totals
          n INTEGER NOT NULL,
          PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        INSERT INTO archive_counts SELECT 'action', coalesce(action, '?'), count(*) FROM tasks GROUP BY 2
        UNION ALL SELECT 'status', coalesce(status, '?'), count(*) FROM tasks GROUP BY 2
        UNION ALL SELECT 'unfetched', '', count(*) FROM known_tasks k
          WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = k.id)
        UNION ALL SELECT 'without_images', '', count(*) FROM tasks t
          WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> ''
            AND NOT EXISTS (SELECT 1 FROM images i WHERE i.task_id = t.id AND i.kind = 'original')
        -- Each file once, however many rows name it (an original shared by identical images).
        UNION ALL SELECT 'image_bytes', '', coalesce(sum(bytes), 0) FROM (SELECT max(bytes) AS bytes FROM images GROUP BY path);

        CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks BEGIN
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'action' AND key = coalesce(OLD.action, '?');
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'status' AND key = coalesce(OLD.status, '?');
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'unfetched'
            AND EXISTS (SELECT 1 FROM known_tasks WHERE id = OLD.id);
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'without_images'
            AND OLD.status = 'SUCCESS' AND coalesce(OLD.image_url, '') <> ''
            AND NOT EXISTS (SELECT 1 FROM images WHERE task_id = OLD.id AND kind = 'original');
        END;
        CREATE TRIGGER tasks_count_update AFTER UPDATE OF action, status, image_url ON tasks
        WHEN OLD.action IS NOT NEW.action OR OLD.status IS NOT NEW.status OR OLD.image_url IS NOT NEW.image_url BEGIN
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'action' AND key = coalesce(OLD.action, '?');
          INSERT INTO archive_counts VALUES ('action', coalesce(NEW.action, '?'), 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'status' AND key = coalesce(OLD.status, '?');
          INSERT INTO archive_counts VALUES ('status', coalesce(NEW.status, '?'), 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
          UPDATE archive_counts
            SET n = n - (OLD.status = 'SUCCESS' AND coalesce(OLD.image_url, '') <> '')
              + (NEW.status = 'SUCCESS' AND coalesce(NEW.image_url, '') <> '')
            WHERE kind = 'without_images'
              AND NOT EXISTS (SELECT 1 FROM images WHERE task_id = NEW.id AND kind = 'original');
        END;
        CREATE TRIGGER known_count_insert AFTER INSERT ON known_tasks BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'unfetched'
            AND NOT EXISTS (SELECT 1 FROM tasks WHERE id = NEW.id);
        END;
        CREATE TRIGGER known_count_delete AFTER DELETE ON known_tasks BEGIN
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'unfetched'
            AND NOT EXISTS (SELECT 1 FROM tasks WHERE id = OLD.id);
        END;
        CREATE TRIGGER images_count_insert AFTER INSERT ON images BEGIN
          UPDATE archive_counts SET n = n - 1 WHERE kind = 'without_images' AND NEW.kind = 'original'
            AND EXISTS (SELECT 1 FROM tasks WHERE id = NEW.task_id AND status = 'SUCCESS' AND coalesce(image_url, '') <> '')
            AND (SELECT count(*) FROM images WHERE task_id = NEW.task_id AND kind = 'original') = 1;
          UPDATE archive_counts SET n = n + coalesce(NEW.bytes, 0) WHERE kind = 'image_bytes'
            AND NOT EXISTS (SELECT 1 FROM images WHERE sha256 IS NEW.sha256 AND path = NEW.path
              AND NOT (task_id = NEW.task_id AND kind = NEW.kind AND part = NEW.part AND edge = NEW.edge));
        END;
        CREATE TRIGGER images_count_delete AFTER DELETE ON images BEGIN
          UPDATE archive_counts SET n = n + 1 WHERE kind = 'without_images' AND OLD.kind = 'original'
            AND EXISTS (SELECT 1 FROM tasks WHERE id = OLD.task_id AND status = 'SUCCESS' AND coalesce(image_url, '') <> '')
            AND NOT EXISTS (SELECT 1 FROM images WHERE task_id = OLD.task_id AND kind = 'original');
          UPDATE archive_counts SET n = n - coalesce(OLD.bytes, 0) WHERE kind = 'image_bytes'
            AND NOT EXISTS (SELECT 1 FROM images WHERE sha256 IS OLD.sha256 AND path = OLD.path);
        END;
        CREATE TRIGGER images_count_update AFTER UPDATE OF path, sha256, bytes ON images BEGIN
          UPDATE archive_counts SET n = n - coalesce(OLD.bytes, 0) WHERE kind = 'image_bytes'
            AND NOT EXISTS (SELECT 1 FROM images WHERE sha256 IS OLD.sha256 AND path = OLD.path);
          UPDATE archive_counts SET n = n + coalesce(NEW.bytes, 0) WHERE kind = 'image_bytes'
            AND NOT EXISTS (SELECT 1 FROM images WHERE sha256 IS NEW.sha256 AND path = NEW.path
              AND NOT (task_id = NEW.task_id AND kind = NEW.kind AND part = NEW.part AND edge = NEW.edge));
        END;
        PRAGMA user_version = 4;
        """),
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
