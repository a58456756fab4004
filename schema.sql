-- mjarchive archive schema, version 12: exactly what a new archive gets, and what every older archive
-- becomes once this build opens it for writing.
--
-- The binary embeds this file (through the Sources/ArchiveStore/schema.sql link) and runs it on a new
-- archive. An archive made by an older build is brought here by the numbered, frozen migrations in
-- Sources/ArchiveStore/Schema/SchemaMigration+*.swift, keyed by PRAGMA user_version; a test checks that
-- both paths give the same schema. A change is a new migration plus the same change here.
--
-- The archive is a plain SQLite file: the stock sqlite3 shell, Datasette or any SQLite client can read
-- it beside a running sync (WAL mode) and run the same FTS5 MATCH queries mjarchive runs.
-- Times are unix milliseconds.

-- Every task the gateway described, with the JSON exactly as received. Every other column is derived
-- from raw_json and is rebuilt by `mjarchive reindex`.
CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY,              -- (when the task was made << 14) + a counter: newest-first order,
                                        -- and the rowid of the external-content FTS index
  id TEXT NOT NULL UNIQUE,              -- gateway task id, always text (ids exceed 2^53)
  action TEXT,                          -- IMAGINE | UPSCALE | VARIATION | REROLL | DESCRIBE | BLEND | …
  status TEXT,                          -- NOT_START | SUBMITTED | MODAL | IN_PROGRESS | SUCCESS | FAILURE | CANCEL
  progress TEXT,                        -- "0%" … "100%" as sent
  prompt TEXT,
  prompt_en TEXT,
  final_prompt TEXT,                    -- properties.finalPrompt: the prompt Midjourney ran
  description TEXT,
  fail_reason TEXT,
  state TEXT,                           -- the caller's correlation value (mjarchive sends mjarchive-<uuid>)
  submit_time INTEGER,
  start_time INTEGER,
  finish_time INTEGER,
  image_url TEXT,                       -- the link the gateway gave for the image (often expiring)
  message_hash TEXT,                    -- properties.messageHash
  message_id TEXT,                      -- properties.messageId: the Discord message holding the image
  progress_message_id TEXT,             -- properties.progressMessageId
  parent_id TEXT,                       -- parentId as the gateway sent it
  referenced_message_id TEXT,           -- properties.referencedMessageId
  parent_custom_id TEXT,                -- properties.custom_id: the button that made this task
  action_index INTEGER,                 -- properties.action_index, where sent
  bot_type TEXT,                        -- properties.botType: MID_JOURNEY | NIJI_JOURNEY
  distinct_prompt_en TEXT,              -- prompt_en where it differs from prompt, else NULL (indexed once)
  distinct_final_prompt TEXT,           -- final_prompt where it differs from prompt, else NULL
  cjk_terms TEXT NOT NULL DEFAULT '',   -- CJK unigrams then bigrams, so unicode61 can match Han text
  raw_json BLOB NOT NULL,               -- the task's bytes as received
  first_seen INTEGER NOT NULL,
  last_fetched INTEGER NOT NULL,
  parent_message_id TEXT,               -- referencedMessageId, else progressMessageId of a step
  parent_hash TEXT,                     -- the job hash inside parent_custom_id
  job_hash TEXT,                        -- messageHash, else the UUID in the image's file name
  lineage_kind TEXT,                    -- the step from the parent: upsample, variation, reroll, zoom, …
  lineage_index INTEGER                 -- the quadrant (1-4) a U or V button named
);
CREATE INDEX tasks_submit_time ON tasks(submit_time);
CREATE INDEX tasks_message_id ON tasks(message_id);
-- A child with a parentId links by it whichever arrives first, so only children without one are
-- indexed by the traces a parent arriving later looks them up by.
CREATE INDEX tasks_parent_message_id ON tasks(parent_message_id)
  WHERE parent_message_id IS NOT NULL AND parent_id IS NULL;
CREATE INDEX tasks_parent_hash ON tasks(parent_hash) WHERE parent_hash IS NOT NULL AND parent_id IS NULL;
CREATE INDEX tasks_job_hash ON tasks(job_hash) WHERE job_hash IS NOT NULL;

-- Side tables are WITHOUT ROWID: keyed by task id, one b-tree each instead of a table plus an index.

-- Parameters parsed from the final prompt (or the prompt), for filters.
CREATE TABLE task_parameters (
  task_id TEXT PRIMARY KEY NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  aspect_ratio TEXT,                    -- --ar / --aspect, e.g. 16:9
  version TEXT,                         -- --v / --version
  niji TEXT,                            -- --niji
  stylize TEXT,                         -- --s / --stylize
  chaos TEXT,                           -- --c / --chaos
  weird TEXT,                           -- --w / --weird
  quality TEXT,                         -- --q / --quality
  seed TEXT,                            -- --seed
  sref TEXT,                            -- --sref values, space separated
  style_weight TEXT,                    -- --sw
  cref TEXT,                            -- --cref values, space separated
  character_weight TEXT,                -- --cw
  image_weight TEXT,                    -- --iw
  no TEXT,                              -- --no list as written
  style TEXT,                           -- --style raw|…
  tile INTEGER NOT NULL DEFAULT 0,      -- 1 with --tile
  flags TEXT NOT NULL DEFAULT '',       -- value-less parameters: fast relax turbo raw tile …
  image_prompts TEXT NOT NULL DEFAULT '[]', -- leading image URLs, JSON array
  other TEXT NOT NULL DEFAULT '{}'      -- parameters not listed above, JSON object
) WITHOUT ROWID;
CREATE INDEX task_parameters_aspect_ratio ON task_parameters(aspect_ratio);
CREATE INDEX task_parameters_version ON task_parameters(version);
CREATE INDEX task_parameters_seed ON task_parameters(seed);

-- The buttons under a task, in the gateway's order, read from its raw JSON (stored a second time they
-- were a fifth of the archive's bytes). The JSON is cast to text (newer SQLite reads a BLOB as JSONB),
-- and a row that is not JSON (written by another program) has no buttons rather than failing the query.
CREATE VIEW buttons (task_id, position, custom_id, label, emoji, style, type) AS
  SELECT t.id, b.key, b.value ->> 'customId', coalesce(b.value ->> 'label', ''),
    coalesce(b.value ->> 'emoji', ''), b.value ->> 'style', b.value ->> 'type'
  FROM tasks t, json_each(
    CASE WHEN json_valid(CAST(t.raw_json AS TEXT)) THEN CAST(t.raw_json AS TEXT) ELSE '{}' END, '$.buttons') b
  WHERE typeof(b.key) = 'integer' AND b.type = 'object' AND coalesce(b.value ->> 'customId', '') <> '';

-- The tasks without their raw JSON, with the aspect ratio, version (`niji 6` for Niji) and day (UTC) to
-- facet on: what Datasette browses by default with the metadata `mjarchive datasette` writes.
CREATE VIEW task_overview AS
  SELECT t.seq, t.id, t.action, t.status, t.prompt, t.final_prompt, t.description, t.fail_reason,
    p.aspect_ratio, coalesce('niji ' || p.niji, p.version) AS version,
    date(t.submit_time / 1000, 'unixepoch') AS day, t.submit_time, t.finish_time, t.parent_id, t.image_url
  FROM tasks t LEFT JOIN task_parameters p ON p.task_id = t.id;

-- Task ids mjarchive knows of, whether or not fetched yet: submitted here, tracked, imported, listed.
CREATE TABLE known_tasks (
  id TEXT PRIMARY KEY NOT NULL,
  source TEXT NOT NULL,                 -- submit | track | import | list
  parent_id TEXT,                       -- for actions submitted here: the exact parent …
  custom_id TEXT,                       -- … and the button pressed
  submit_response BLOB,                 -- the submit answer's bytes as received
  added_at INTEGER NOT NULL,
  lineage_kind TEXT,                    -- the step of an action submitted here, from its customId
  lineage_index INTEGER                 -- the quadrant (1-4) that button named
) WITHOUT ROWID;

-- Every submit, recorded before it is sent, so a task whose answer was lost can be found later by the
-- correlation `state` it carried (the gateway echoes it in the task).
CREATE TABLE submissions (
  state TEXT PRIMARY KEY NOT NULL,      -- the correlation value sent with the submit
  route TEXT NOT NULL,                  -- imagine | blend | describe | shorten | action
  request BLOB NOT NULL,                -- the JSON body sent (image data URLs summarised)
  parent_id TEXT,                       -- for actions: the task whose button was pressed …
  custom_id TEXT,                       -- … and the button
  sent_at INTEGER NOT NULL,             -- recorded before sending
  outcome TEXT NOT NULL DEFAULT 'sending', -- sending | accepted | refused | not_sent | unknown | found | not_found
  task_id TEXT,                         -- the task, once known
  detail TEXT,                          -- why it failed or was not found
  resolved_at INTEGER
) WITHOUT ROWID;
CREATE INDEX submissions_outcome ON submissions(outcome);

-- Files in the archive folder for a task: the original, its quadrants, thumbnails. Files are named by
-- content (images/originals/ab/<sha256>.png), so identical images share one file and several rows.
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
  split INTEGER NOT NULL DEFAULT 0,     -- on an original (ArchiveStore.SplitState): 0 not split (not yet, or
                                        -- not a grid), 1 quadrants made, 2 not split as it is no PNG,
                                        -- 3 the split failed for good (verify reports it, --repair retries)
  created_at INTEGER NOT NULL,
  PRIMARY KEY (task_id, kind, part, edge)
) WITHOUT ROWID;
-- On (sha256, path): the triggers' same-file test is one seek, however many rows share the content.
CREATE INDEX images_sha256 ON images(sha256, path);

-- Lineage: the link used for each child, its strongest trace (1 submitted here, 2 parentId,
-- 3 referenced message, 4 job hash) that names another task and closes no loop.
CREATE TABLE edges (
  child_id TEXT PRIMARY KEY NOT NULL,
  parent_id TEXT NOT NULL,              -- the task whose button made the child
  tree_parent_id TEXT,                  -- its parent in the family tree: parent_id, but a reroll sits beside
                                        -- the grid it rerolled (NULL: the reroll of a root starts a new family)
  evidence INTEGER NOT NULL,            -- 1 submitted | 2 parentId | 3 referenced message | 4 job hash
  kind TEXT,                            -- the step: upsample, variation, reroll, zoom, pan, …
  button_index INTEGER,                 -- the quadrant (1-4) the button named
  custom_id TEXT,                       -- the button's customId
  button TEXT                           -- the button's label (or emoji) as the parent shows it
) WITHOUT ROWID;
CREATE INDEX edges_parent ON edges(parent_id);

-- Links not used because they would close a loop.
CREATE TABLE lineage_rejected (
  child_id TEXT NOT NULL,
  evidence INTEGER NOT NULL,            -- as in edges
  parent_id TEXT NOT NULL,
  PRIMARY KEY (child_id, evidence, parent_id)
) WITHOUT ROWID;

-- Traces that cannot all be true, kept in step with the edges.
CREATE TABLE lineage_problems (
  child_id TEXT NOT NULL,
  kind TEXT NOT NULL,                   -- selfReference | cycle | conflict
  evidence INTEGER,                     -- as in edges
  parent_ids TEXT NOT NULL,             -- comma separated
  PRIMARY KEY (child_id, kind)
) WITHOUT ROWID;

-- What the archive remembers of how it is kept: where its images live (`sync --images s3://…`, with the
-- bucket's endpoint, region and addressing, and the local cache's size). Never a secret.
CREATE TABLE settings (
  name TEXT PRIMARY KEY,                -- images.location | images.s3_endpoint | images.s3_region | images.s3_path_style | images.cache_bytes
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per sync run.
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  tasks_fetched INTEGER NOT NULL DEFAULT 0,
  tasks_changed INTEGER NOT NULL DEFAULT 0,
  images_downloaded INTEGER NOT NULL DEFAULT 0,
  bytes_downloaded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,    -- tasks or images that failed this run
  requests INTEGER NOT NULL DEFAULT 0,  -- HTTP requests sent to the gateway
  status TEXT NOT NULL DEFAULT 'running' -- running | done | failed | interrupted
);

-- Nothing the gateway once said of a finished task is lost: a finished task's raw JSON that a later,
-- different answer replaced, and an unfinished answer that arrived after the task finished (which never
-- replaces it in tasks).
CREATE TABLE task_history (
  task_id TEXT NOT NULL,
  raw_json BLOB NOT NULL,               -- the bytes as received
  recorded_at INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('replaced', 'unfinished after finished'))
);
CREATE INDEX task_history_task ON task_history (task_id);

-- What `stats` shows, counted as rows change (counting a million tasks, or walking their files, took
-- seconds). New tasks are counted by the store once per batch (a per-row insert trigger cost 12-19% of
-- ingest); changes, deletions, ids and images by the triggers below, so other programs' edits count too.
-- Tasks inserted by other programs are counted by `reindex`, as they are indexed by it.
CREATE TABLE archive_counts (
  kind TEXT NOT NULL,                   -- action | status | unfetched | without_images | image_bytes
  key TEXT NOT NULL,                    -- the action or status ('?' for none); '' for the totals
  n INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;
INSERT INTO archive_counts VALUES ('unfetched', '', 0), ('without_images', '', 0), ('image_bytes', '', 0);

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

-- Full-text index over the task text. mjarchive indexes new rows itself, one INSERT … SELECT per
-- batch (FTS5 flushes its pending terms at every statement savepoint, so a per-row insert trigger
-- costs several times more); the triggers below keep updates and deletes in step. Rows inserted
-- into tasks by other tools are indexed by `mjarchive reindex`. The English and final prompts are
-- indexed only where they differ from the prompt (usually they do not), which keeps the index a third
-- of the size; query them as {prompt distinct_final_prompt}: word.
CREATE VIRTUAL TABLE tasks_fts USING fts5(
  prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms,
  content = 'tasks', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms)
  VALUES ('delete', old.seq, old.prompt, old.distinct_prompt_en, old.distinct_final_prompt, old.action, old.description, old.cjk_terms);
END;

CREATE TRIGGER tasks_fts_update AFTER UPDATE OF prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms)
  VALUES ('delete', old.seq, old.prompt, old.distinct_prompt_en, old.distinct_final_prompt, old.action, old.description, old.cjk_terms);
  INSERT INTO tasks_fts(rowid, prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms)
  VALUES (new.seq, new.prompt, new.distinct_prompt_en, new.distinct_final_prompt, new.action, new.description, new.cjk_terms);
END;

-- The seed of each finished grid's picture, as the gateway's GET /mj/task/{id}/image-seed said it
-- (`sync --seeds`). Not part of the task's JSON, so kept here and never rebuilt by reindex.
CREATE TABLE image_seeds (
  task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  seed TEXT,                            -- digits, 0-4294967295; NULL: the gateway has none for the task
  recorded_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX image_seeds_seed ON image_seeds(seed) WHERE seed IS NOT NULL;

-- Perceptual hashes of every original and quadrant (`mjarchive similar`, `duplicates`), made from pixels the
-- thumbnails decode anyway. Keyed by the file's content: a picture stored twice is hashed once, and a hash is
-- never stale. `algorithm` names the method and its size (dhash-64, phash-64), so another can be added beside;
-- `hash` holds the 64 bits as a signed integer, the first bit of ImageHash's order the highest.
CREATE TABLE image_hashes (
  sha256 TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  hash INTEGER NOT NULL,
  PRIMARY KEY (sha256, algorithm)
) WITHOUT ROWID;

-- How many times what a gallery shows has changed: the tasks (but not their fetch times), their files, seeds,
-- picture hashes and lineage. A gallery export that finds it where the last export left it has nothing to redo.
-- New tasks and the edges derived with them are counted by the store once per batch (a per-row insert trigger
-- costs import time); every other change by the triggers below, so other programs' edits count too. Tasks and
-- edges inserted by other programs are counted by `reindex`.
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
