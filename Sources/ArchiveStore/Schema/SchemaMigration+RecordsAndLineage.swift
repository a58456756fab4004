extension SchemaMigration {
  /// Versions 2 to 4 (frozen, as shipped): submissions recorded before sending, lineage as indexed facts, and the
  /// counts `stats` reads kept as rows change.
  static let recordsAndLineage: [SchemaMigration] = [
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
  ]
}
