# The sqlite3 shell's import of a task file, the peer of `mjarchive import` (sourced by import.sh and
# lineage.sh): the rows with four columns by json_extract, and FTS5 over the prompts.

shell_lines() { # file database: one task a line
  sqlite3 "$2" <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE raw(line TEXT);
.mode ascii
.separator "\037" "\n"
.import $1 raw
CREATE TABLE tasks(id TEXT PRIMARY KEY, prompt TEXT, final_prompt TEXT, raw_json TEXT);
INSERT INTO tasks SELECT json_extract(line, '$.id'), json_extract(line, '$.prompt'),
  json_extract(line, '$.properties.finalPrompt'), line FROM raw;
CREATE VIRTUAL TABLE fts USING fts5(prompt, final_prompt, content = 'tasks');
INSERT INTO fts(fts) VALUES ('rebuild');
SQL
}

shell_array() { # file database: one JSON array
  sqlite3 "$2" <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE tasks(id TEXT PRIMARY KEY, prompt TEXT, final_prompt TEXT, raw_json TEXT);
INSERT INTO tasks SELECT json_extract(value, '$.id'), json_extract(value, '$.prompt'),
  json_extract(value, '$.properties.finalPrompt'), value FROM json_each(readfile('$1'));
CREATE VIRTUAL TABLE fts USING fts5(prompt, final_prompt, content = 'tasks');
INSERT INTO fts(fts) VALUES ('rebuild');
SQL
}
