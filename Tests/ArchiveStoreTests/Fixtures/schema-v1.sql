-- mjarchive archive schema, version 1: the one source of truth for the database.
-- The binary embeds this file at build time and applies it to a new archive; later changes are
-- numbered migrations keyed by PRAGMA user_version (ArchiveStore/SchemaMigrator.swift), never edits
-- to this version once shipped. The archive stays a plain SQLite file: the stock sqlite3 shell can
-- run the same FTS5 MATCH queries mjarchive runs.

-- Every task the gateway described, with the JSON exactly as received; every other column is
-- derived from raw_json and can be rebuilt (`mjarchive reindex`).
CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY,              -- stable rowid for the external-content FTS index
  id TEXT NOT NULL UNIQUE,              -- gateway task id, always text (ids exceed 2^53)
  action TEXT,
  status TEXT,
  progress TEXT,
  prompt TEXT,
  prompt_en TEXT,
  final_prompt TEXT,
  description TEXT,
  fail_reason TEXT,
  state TEXT,
  submit_time INTEGER,                  -- unix milliseconds
  start_time INTEGER,
  finish_time INTEGER,
  image_url TEXT,
  message_hash TEXT,
  message_id TEXT,
  progress_message_id TEXT,
  parent_id TEXT,                       -- parentId as the gateway sent it
  referenced_message_id TEXT,           -- properties.referencedMessageId
  parent_custom_id TEXT,                -- properties.custom_id: the button that made this task
  action_index INTEGER,
  bot_type TEXT,
  distinct_prompt_en TEXT,              -- prompt_en where it differs from prompt, else NULL (indexed once)
  distinct_final_prompt TEXT,           -- final_prompt where it differs from prompt, else NULL
  cjk_terms TEXT NOT NULL DEFAULT '',   -- CJK unigrams then bigrams, so unicode61 can match Han text
  raw_json BLOB NOT NULL,               -- the task's bytes as received
  first_seen INTEGER NOT NULL,          -- unix milliseconds
  last_fetched INTEGER NOT NULL
);
CREATE INDEX tasks_submit_time ON tasks(submit_time);
CREATE INDEX tasks_message_hash ON tasks(message_hash);
CREATE INDEX tasks_message_id ON tasks(message_id);
CREATE INDEX tasks_parent_id ON tasks(parent_id);

-- Side tables are WITHOUT ROWID: keyed by task id, one b-tree each instead of a table plus an index.

-- Parameters parsed from the final prompt (or the prompt), for filters.
CREATE TABLE task_parameters (
  task_id TEXT PRIMARY KEY NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  aspect_ratio TEXT,                    -- --ar / --aspect, e.g. 16:9
  version TEXT,                         -- --v / --version
  niji TEXT,                            -- --niji
  stylize TEXT,
  chaos TEXT,
  weird TEXT,
  quality TEXT,
  seed TEXT,
  sref TEXT,                            -- --sref values, space separated
  style_weight TEXT,                    -- --sw
  cref TEXT,
  character_weight TEXT,                -- --cw
  image_weight TEXT,                    -- --iw
  no TEXT,                              -- --no list as written
  style TEXT,                           -- --style raw|…
  tile INTEGER NOT NULL DEFAULT 0,
  flags TEXT NOT NULL DEFAULT '',       -- value-less parameters: fast relax turbo raw tile …
  image_prompts TEXT NOT NULL DEFAULT '[]', -- leading image URLs, JSON array
  other TEXT NOT NULL DEFAULT '{}'      -- parameters not listed above, JSON object
) WITHOUT ROWID;
CREATE INDEX task_parameters_aspect_ratio ON task_parameters(aspect_ratio);
CREATE INDEX task_parameters_version ON task_parameters(version);
CREATE INDEX task_parameters_seed ON task_parameters(seed);

-- The buttons under a task, in the gateway's order.
CREATE TABLE buttons (
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  custom_id TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  emoji TEXT NOT NULL DEFAULT '',
  style INTEGER,
  type INTEGER,
  PRIMARY KEY (task_id, position)
) WITHOUT ROWID;

-- Task ids mjarchive knows of, whether or not fetched yet: submitted here, tracked, imported, listed.
CREATE TABLE known_tasks (
  id TEXT PRIMARY KEY NOT NULL,
  source TEXT NOT NULL,                 -- submit | track | import | list
  parent_id TEXT,                       -- for actions submitted here: the exact parent …
  custom_id TEXT,                       -- … and the button pressed
  submit_response BLOB,                 -- the submit answer's bytes as received
  added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Files on disk for a task: the original, its quadrants, thumbnails.
CREATE TABLE images (
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                   -- original | quadrant | thumbnail
  part INTEGER NOT NULL DEFAULT 0,      -- quadrant 1-4, thumbnail edge, 0 for the original
  path TEXT NOT NULL,                   -- relative to the archive folder
  sha256 TEXT,
  width INTEGER,
  height INTEGER,
  bytes INTEGER,
  source_url TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (task_id, kind, part)
) WITHOUT ROWID;

-- Lineage edges, strongest evidence first: submitted, parentId, referencedMessage, hash.
CREATE TABLE edges (
  child_id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  custom_id TEXT,
  evidence TEXT NOT NULL,
  PRIMARY KEY (child_id, parent_id)
) WITHOUT ROWID;
CREATE INDEX edges_parent ON edges(parent_id);

-- One row per sync run.
CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  tasks_fetched INTEGER NOT NULL DEFAULT 0,
  images_downloaded INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'running'
);

-- Full-text index over the task text. mjarchive indexes new rows itself, one INSERT … SELECT per
-- batch (FTS5 flushes its pending terms at every statement savepoint, so a per-row insert trigger
-- costs several times more); the triggers below keep updates and deletes in step. Rows inserted
-- into tasks by other tools are indexed by `mjarchive reindex`. The English
-- and final prompts are indexed only where they differ from the prompt (usually they do not), which
-- keeps the index a third of the size; query them as {prompt distinct_final_prompt}: word.
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

PRAGMA user_version = 1;
