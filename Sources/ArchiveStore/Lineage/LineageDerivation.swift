import Foundation
import GRDB

/// Keeps `edges` in step with the tasks, in set-based SQL once per stored batch.
///
/// A child's candidate parents are read from indexed columns, never stored twice: the action
/// submitted here (`known_tasks`), its `parentId`, the task whose `message_id` is its
/// `parent_message_id`, the task whose `job_hash` is its `parent_hash`. `edges` holds the strongest
/// candidate that names another task and closes no loop. A child stored before its parent links up
/// when the parent arrives: the parent's message id and job hash find it through the children's
/// indexed trace columns, so no step scans the archive.
enum LineageDerivation {
  /// Which children a step covers: a few ids, the ids in a temporary table, or every task.
  enum Scope {
    case ids([String])
    /// A batch's ids, written once to a temporary table (see `fill`) for the several statements that read them.
    case table(String)
    case all

    /// `column IN (…)` for this scope, with `:scope` bound by `arguments`.
    func contains(_ column: String) -> String {
      switch self {
      case .ids: "\(column) IN (SELECT value FROM json_each(:scope))"
      case .table(let name): "\(column) IN (SELECT id FROM temp.\(name))"
      case .all: "\(column) IS NOT NULL"
      }
    }

    var arguments: StatementArguments {
      switch self {
      case .ids(let ids): ["scope": Self.jsonArray(ids)]
      case .table, .all: [:]
      }
    }

    /// `ids` as a JSON array, for `json_each`.
    static func jsonArray(_ ids: [String]) -> String {
      // Task ids are 1–64 of [A-Za-z0-9_-] (TaskID), so they need no escaping inside JSON strings.
      "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    var isEmpty: Bool {
      if case .ids(let ids) = self { return ids.isEmpty }
      return false
    }
  }

  /// Makes this connection's temporary tables, before any statement that reads the archive is open.
  static func prepare(in db: Database) throws {
    try db.execute(
      sql: """
        CREATE TEMP TABLE IF NOT EXISTS lineage_batch (id TEXT PRIMARY KEY, message_id TEXT, job_hash TEXT) WITHOUT ROWID;
        CREATE TEMP TABLE IF NOT EXISTS lineage_scope (id TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TEMP TABLE IF NOT EXISTS lineage_candidates (
          child_id TEXT, evidence INTEGER, parent_id TEXT, kind TEXT, button_index INTEGER, custom_id TEXT);
        CREATE TEMP TABLE IF NOT EXISTS lineage_labels (
          task_id TEXT, custom_id TEXT, label TEXT NOT NULL, PRIMARY KEY (task_id, custom_id)) WITHOUT ROWID;
        """)
  }

  /// Makes the temporary table `name` (made by `prepare`) hold exactly `rows` (an id each, or an id
  /// and the `columns` after it).
  static func fill(
    _ name: String, with rows: [[String?]], columns: [String] = ["id"], in db: Database
  ) throws -> Scope {
    try db.execute(sql: "DELETE FROM temp.\(name)")
    try insert(rows, into: name, columns: columns, in: db)
    return .table(name)
  }

  /// Adds `rows` (a value for each of `columns`) to the temporary table `name`, 500 rows a statement.
  ///
  /// Bound through `RawBindings`: GRDB's arguments cost more than SQLite's inserts here.
  static func insert(_ rows: [[String?]], into name: String, columns: [String], in db: Database) throws {
    let row = "(" + ArchiveStore.marks(columns.count) + ")"
    for chunk in ArchiveStore.chunks(of: rows) {
      var values = RawBindings(
        try db.cachedStatement(
          sql: "INSERT OR IGNORE INTO temp.\(name) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: chunk.count).joined(separator: ", ")))
      for row in chunk {
        for value in row { values.bind(value) }
      }
      try values.execute()
    }
  }

  /// Every trace naming a parent of the children in `scope`, strongest first by `evidence`.
  ///
  /// Columns: child_id, evidence, parent_id, kind, button_index, custom_id. Self-references are
  /// included (they are reported); rejected loops are not excluded here. With
  /// `weakerOnlyWithoutParentId`, a child whose parentId names another task has no weaker candidates.
  static func candidatesSQL(_ scope: Scope, weakerOnlyWithoutParentId: Bool = false) -> String {
    let child = "c.lineage_kind, c.lineage_index, c.parent_custom_id"
    let weaker = weakerOnlyWithoutParentId ? " WHERE c.parent_id IS NULL OR c.parent_id = c.id" : ""
    // Each child's row is read once, for the three traces it holds (it was looked up once a trace).
    return """
      WITH c AS MATERIALIZED (
        SELECT id, parent_id, parent_message_id, parent_hash, lineage_kind, lineage_index, parent_custom_id
        FROM tasks WHERE \(scope.contains("id")))
      SELECT k.id AS child_id, 1 AS evidence, k.parent_id, k.lineage_kind AS kind, k.lineage_index AS button_index,
        k.custom_id
        FROM known_tasks k WHERE \(scope.contains("k.id")) AND k.parent_id IS NOT NULL
      UNION ALL SELECT c.id, 2, c.parent_id, \(child) FROM c WHERE c.parent_id IS NOT NULL
      UNION ALL SELECT c.id, 3, p.id, \(child) FROM c JOIN tasks p ON p.message_id = c.parent_message_id\(weaker)
      UNION ALL SELECT c.id, 4, p.id, \(child) FROM c JOIN tasks p ON p.job_hash = c.parent_hash\(weaker)
      """
  }

  /// A task a batch inserted or changed, with what lineage reads of it.
  struct ChangedTask {
    let id: String
    /// The values a child stored earlier may name it by.
    let messageId: String?
    let jobHash: String?
    /// False for a new task naming no parent: its own link cannot have changed (only an action
    /// submitted here, recorded in `known_tasks`, can have one, and `derive` finds those).
    let mayHaveNewParent: Bool
  }

  /// Links tasks just stored, as children and as parents of tasks stored before them.
  ///
  /// `labels` are buttons of the batch already read in Swift (`PressedButton`); edges to other
  /// buttons read their label through the `buttons` view.
  static func derive(_ tasks: [ChangedTask], labels: [PressedButton], in db: Database) throws {
    guard !tasks.isEmpty else { return }
    try prepare(in: db)
    // Only for this batch (empty before and after it): a label kept past it could outlive a change to its task.
    defer { try? db.execute(sql: "DELETE FROM temp.lineage_labels") }
    try insert(
      labels.map { [$0.parentId, $0.customId, $0.label] }, into: "lineage_labels",
      columns: ["task_id", "custom_id", "label"], in: db)
    // What a child may name a parent by comes from the batch itself, not from looking each task up again.
    let batch = try fill(
      "lineage_batch", with: tasks.map { [$0.id, $0.messageId, $0.jobHash] },
      columns: ["id", "message_id", "job_hash"],
      in: db)
    // The children to link again: the batch's tasks whose own traces may have changed (most new tasks
    // start a family and name no parent, and linking them found nothing at the cost of a dozen lookups
    // each), those submitted here, and children that may link to one of the batch's tasks now: by its
    // message id or job hash, links to it that may no longer hold, and links made before it arrived
    // whose button can now be read.
    let children = try fill("lineage_scope", with: tasks.filter(\.mayHaveNewParent).map { [$0.id] }, in: db)
    try db.execute(
      sql: """
        DELETE FROM lineage_rejected WHERE \(children.contains("child_id"));
        INSERT OR IGNORE INTO temp.lineage_scope (id)
          SELECT k.id FROM known_tasks k WHERE \(batch.contains("k.id")) AND k.parent_id IS NOT NULL
          UNION SELECT c.id FROM temp.lineage_batch p JOIN tasks c ON c.parent_message_id = p.message_id
            AND c.parent_id IS NULL
          UNION SELECT c.id FROM temp.lineage_batch p JOIN tasks c ON c.parent_hash = p.job_hash AND c.parent_id IS NULL
          UNION SELECT child_id FROM edges WHERE \(batch.contains("parent_id")) AND (evidence > 2 OR button IS NULL);
        """)
    try choose(children, in: db)
  }

  /// Records the exact link of an action mjarchive submitted (its `known_tasks` row), whether or not either task is stored yet.
  static func recordSubmitted(childId: String, in db: Database) throws {
    try prepare(in: db)
    try choose(.ids([childId]), in: db)
  }

  /// Rebuilds every edge from the tasks and the submissions recorded in `known_tasks`, 5,000 children at a time.
  static func rebuild(in db: Database) throws {
    try prepare(in: db)
    try db.execute(sql: "DELETE FROM edges; DELETE FROM lineage_rejected; DELETE FROM lineage_problems")
    let children = try String.fetchCursor(
      db,
      sql: """
        SELECT id FROM tasks WHERE parent_id IS NOT NULL OR parent_message_id IS NOT NULL OR parent_hash IS NOT NULL
        UNION SELECT id FROM known_tasks WHERE parent_id IS NOT NULL
        """)
    var chunk: [String] = []
    while let id = try children.next() {
      chunk.append(id)
      if chunk.count == 5_000 {
        try choose(try fill("lineage_scope", with: chunk.map { [$0] }, in: db), in: db)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    try choose(try fill("lineage_scope", with: chunk.map { [$0] }, in: db), in: db)
  }

}
