import MidjourneyAPI

/// Datasette's metadata for an archive (Datasette 0.65): search, facets, sorting, labels and canned queries, so
/// `datasette ARCHIVE/archive.sqlite -m FILE` browses it as mjarchive reads it.
///
/// Datasette finds an external-content FTS5 table on its own only when its DDL quotes `content="tasks"` with double
/// quotes; the archive's does not, so the search table is named here, in raw mode (FTS5's own syntax, as
/// `mjarchive search` takes it).
public enum DatasetteMetadata {
  /// The database's name in Datasette: the file's name without `.sqlite`.
  public static let databaseName = "archive"
  /// The deepest family the canned query walks, as `lineage` does.
  static let depthLimit = 10_000

  /// The metadata as indented JSON.
  public static func json(title: String) -> String {
    let search: [(String, JSONValue)] = [
      ("fts_table", "tasks_fts"), ("fts_pk", "seq"), ("searchmode", "raw"), ("sort_desc", "submit_time"),
      ("label_column", "prompt"),
    ]
    let tasks = object(
      search + [
        ("description", .string("Every task the gateway described, with the JSON exactly as received (raw_json).")),
        ("facets", ["action", "status"]), ("columns", columns),
      ])
    let overview = object(
      search + [
        (
          "description",
          .string(
            "The tasks without their raw JSON, with aspect ratio, version and day (UTC) to facet on. Search takes "
              + "FTS5 syntax: fox AND (red OR blue), \"exact phrase\", prompt: fox, cjk_terms: 黑猫.")
        ),
        ("facets", ["action", "status", "aspect_ratio", "version", "day"]), ("columns", columns),
      ])
    var tables: [(String, JSONValue)] = [("task_overview", overview), ("tasks", tasks)]
    for shadow in ["tasks_fts", "tasks_fts_config", "tasks_fts_data", "tasks_fts_docsize", "tasks_fts_idx"] {
      tables.append((shadow, object([("hidden", true)])))
    }
    let database = object([
      ("description", "A Midjourney archive kept by mjarchive. Image paths are relative to the archive's folder."),
      ("tables", object(tables)), ("queries", object(queries)),
    ])
    return JSONValue.object(
      JSONObject([
        "title": .string(title),
        "description": "Browse, search and query the archive; mjarchive keeps it in step with the gateway.",
        "about": "mjarchive", "databases": object([(databaseName, database)]),
      ])
    ).prettySerialized() + "\n"
  }

  private static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(JSONObject(pairs.map { JSONObject.Member(key: $0.0, value: $0.1) }))
  }

  private static let columns = object([
    ("seq", "Newest-first order, and the search index's rowid"),
    ("id", "The gateway's task id"),
    ("prompt", "The prompt as submitted"),
    ("final_prompt", "The prompt Midjourney ran (properties.finalPrompt)"),
    ("submit_time", "Unix milliseconds"),
    ("finish_time", "Unix milliseconds"),
    ("image_url", "The link the gateway gave (often expiring); the archive keeps the file"),
    ("aspect_ratio", "--ar of the final prompt"),
    ("version", "--v, or niji N"),
    ("day", "The day it was submitted, UTC"),
  ])

  /// Canned queries: a task's family, the files of a task, newest upscales, files stored for several tasks.
  private static var queries: [(String, JSONValue)] {
    [
      (
        "family",
        query(
          title: "A task's family",
          description:
            "The whole tree a task belongs to, from its root: every task made from another by a button, as "
            + "`mjarchive lineage` shows it (a reroll of a root starts a family of its own).",
          sql: """
            WITH RECURSIVE
              up(id, depth) AS (
                SELECT :id, 0
                UNION ALL SELECT e.tree_parent_id, up.depth + 1 FROM up JOIN edges e ON e.child_id = up.id
                WHERE e.tree_parent_id IS NOT NULL AND up.depth < \(depthLimit)
              ),
              root(id) AS (SELECT id FROM up ORDER BY depth DESC LIMIT 1),
              tree(id, stop, depth, made_from, button) AS (
                SELECT id, 0, 0, NULL, NULL FROM root
                UNION ALL
                SELECT e.child_id, e.tree_parent_id IS NULL, tree.depth + 1, e.parent_id, e.button
                FROM edges e JOIN tree ON e.parent_id = tree.id
                WHERE tree.stop = 0 AND tree.depth < \(depthLimit)
              )
            SELECT tree.depth, tree.id, tree.made_from, tree.button, t.action, t.status, t.prompt, t.submit_time
            FROM tree LEFT JOIN tasks t ON t.id = tree.id
            WHERE tree.stop = 0
            ORDER BY tree.depth, t.submit_time, tree.id
            """)
      ),
      (
        "task_images",
        query(
          title: "A task's images",
          description: "The files kept for a task, with their paths relative to the archive's folder.",
          sql: """
            SELECT kind, part, edge, path, format, width, height, bytes, sha256
            FROM images WHERE task_id = :id ORDER BY kind = 'thumbnail', kind, part, edge
            """)
      ),
      (
        "newest_upscales",
        query(
          title: "Newest upscales",
          description: "Finished upscales, newest first, with the file of each.",
          sql: """
            SELECT t.id, t.prompt, t.submit_time, i.path, i.width, i.height
            FROM tasks t LEFT JOIN images i ON i.task_id = t.id AND i.kind = 'original'
            WHERE t.action = 'UPSCALE' AND t.status = 'SUCCESS'
            ORDER BY t.seq DESC LIMIT 100
            """)
      ),
      (
        "same_file",
        query(
          title: "One picture, several tasks",
          description: "Originals whose bytes are identical but were stored for more than one task.",
          sql: """
            SELECT sha256, count(*) AS tasks, group_concat(task_id, ' ') AS task_ids, min(path) AS path
            FROM images WHERE kind = 'original'
            GROUP BY sha256 HAVING count(*) > 1 ORDER BY tasks DESC, sha256 LIMIT 1000
            """)
      ),
    ]
  }

  private static func query(title: String, description: String, sql: String) -> JSONValue {
    object([("title", .string(title)), ("description", .string(description)), ("sql", .string(sql))])
  }
}
