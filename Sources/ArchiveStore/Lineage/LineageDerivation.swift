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
  private static func prepare(in db: Database) throws {
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
  private static func fill(
    _ name: String, with rows: [[String?]], columns: [String] = ["id"], in db: Database
  ) throws -> Scope {
    try db.execute(sql: "DELETE FROM temp.\(name)")
    try insert(rows, into: name, columns: columns, in: db)
    return .table(name)
  }

  /// Adds `rows` (a value for each of `columns`) to the temporary table `name`, 500 rows a statement.
  ///
  /// Bound through `RawBindings`: GRDB's arguments cost more than SQLite's inserts here.
  private static func insert(_ rows: [[String?]], into name: String, columns: [String], in db: Database) throws {
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

  /// Picks each child's edge, breaks loops, places rerolls and records what is wrong.
  private static func choose(_ children: Scope, in db: Database) throws {
    guard !children.isEmpty else { return }
    // The candidates once, in memory, for the statements that read them. A child with a parentId of
    // another task links by it (one parentId cannot conflict), so its weaker traces are left to --explain.
    try db.execute(
      sql: """
        DELETE FROM temp.lineage_candidates;
        INSERT INTO temp.lineage_candidates \(candidatesSQL(children, weakerOnlyWithoutParentId: true));
        """,
      arguments: children.arguments)
    try pick(children, in: db)
    try breakCycles(children, in: db)
    try placeRerolls(children, in: db)
    try recordProblems(children, in: db)
  }

  /// Writes each child's edge: its strongest candidate that names another task and was not rejected.
  ///
  /// Only an edge made by a button (a custom id) has a label to read: without that guard, every edge
  /// by a bare parentId expanded the parent's buttons through the view for nothing, re-parsing its
  /// JSON (at 1M tasks, 11 of `store`'s 76 s).
  private static func pick(_ children: Scope, in db: Database) throws {
    try db.execute(
      sql: """
        DELETE FROM edges WHERE \(children.contains("child_id"));
        INSERT INTO edges (child_id, parent_id, tree_parent_id, evidence, kind, button_index, custom_id, button)
          SELECT child_id, parent_id, CASE WHEN kind = 'reroll' THEN NULL ELSE parent_id END, evidence, kind,
            button_index, custom_id,
            CASE WHEN chosen.custom_id IS NOT NULL THEN coalesce(
              (SELECT l.label FROM temp.lineage_labels l
                WHERE l.task_id = chosen.parent_id AND l.custom_id = chosen.custom_id),
              (SELECT CASE WHEN b.label != '' THEN b.label ELSE b.emoji END FROM buttons b
                WHERE b.task_id = chosen.parent_id AND b.custom_id = chosen.custom_id)) END
          FROM (
            SELECT l.*, row_number() OVER (PARTITION BY l.child_id ORDER BY l.evidence, l.parent_id) AS rank
            FROM temp.lineage_candidates l
            WHERE \(children.contains("l.child_id")) AND l.child_id != l.parent_id
              AND NOT EXISTS (
                SELECT 1 FROM lineage_rejected r
                WHERE r.child_id = l.child_id AND r.evidence = l.evidence AND r.parent_id = l.parent_id)
          ) AS chosen
          WHERE rank = 1;
        """,
      arguments: children.arguments)
  }

  /// Rejects each new edge that closes a loop, and picks that child's edge again from its other traces.
  ///
  /// The edges were acyclic before, so a loop runs through one of `children`, and only through one
  /// with children of its own. Each such child walks up its parents until it reaches a root or a task
  /// already known to lead to one, so a batch costs the ancestors it has, not their count times their depth.
  private static func breakCycles(_ children: Scope, in db: Database) throws {
    var seeds = try String.fetchAll(
      db,
      sql: """
        SELECT e.child_id FROM edges e
        WHERE \(children.contains("e.child_id")) AND EXISTS (SELECT 1 FROM edges d WHERE d.parent_id = e.child_id)
        ORDER BY e.child_id DESC
        """,
      arguments: children.arguments)
    let parentOf = try db.cachedStatement(sql: "SELECT parent_id FROM edges WHERE child_id = ?")
    var leadsToRoot = Set<String>()
    while let seed = seeds.popLast() {
      var path: [String] = []
      var onPath = Set<String>()
      var node: String? = seed
      while let current = node, !leadsToRoot.contains(current) {
        guard onPath.insert(current).inserted else {
          // A loop: reject the link of its first task by id, pick that task's link again, check it anew.
          let loop = path[(path.firstIndex(of: current) ?? 0)...]
          let broken = loop.min() ?? current
          try db.execute(
            sql: """
              INSERT OR IGNORE INTO lineage_rejected (child_id, evidence, parent_id)
                SELECT child_id, evidence, parent_id FROM edges WHERE child_id = ?
              """,
            arguments: [broken])
          try pick(.ids([broken]), in: db)
          seeds += [broken, seed]
          path.removeAll()
          break
        }
        path.append(current)
        node = try String.fetchOne(parentOf, arguments: [current])
      }
      leadsToRoot.formUnion(path)
    }
  }

  /// Keeps `lineage_problems` in step for `children`: self-references, rejected loops, and two
  /// parents with equally strong evidence (the edge took the first by id).
  private static func recordProblems(_ children: Scope, in db: Database) throws {
    try db.execute(
      sql: """
        DELETE FROM lineage_problems WHERE \(children.contains("child_id"));
        INSERT INTO lineage_problems (child_id, kind, evidence, parent_ids)
          SELECT child_id, 'selfReference', min(evidence), child_id FROM temp.lineage_candidates
            WHERE child_id = parent_id GROUP BY child_id
          UNION ALL
          SELECT child_id, 'cycle', min(evidence), group_concat(parent_id) FROM lineage_rejected
            WHERE \(children.contains("child_id")) GROUP BY child_id
          UNION ALL
          SELECT l.child_id, 'conflict', l.evidence, group_concat(DISTINCT l.parent_id) FROM temp.lineage_candidates l
            JOIN edges e ON e.child_id = l.child_id AND e.evidence = l.evidence
            WHERE l.child_id != l.parent_id GROUP BY l.child_id HAVING count(DISTINCT l.parent_id) > 1;
        """,
      arguments: children.arguments)
  }

  /// Sets each reroll's place in the family tree: beside the grid it rerolled (that grid's own tree
  /// parent), or a new root when that grid has none; follows rerolls of rerolls.
  private static func placeRerolls(_ changed: Scope, in db: Database) throws {
    var scope = changed
    for _ in 0..<10_000 where !scope.isEmpty {
      let moved = try String.fetchAll(
        db,
        sql: """
          UPDATE edges SET tree_parent_id = (SELECT p.tree_parent_id FROM edges p WHERE p.child_id = edges.parent_id)
          WHERE kind = 'reroll' AND (\(scope.contains("child_id")) OR \(scope.contains("parent_id")))
            AND tree_parent_id IS NOT (SELECT p.tree_parent_id FROM edges p WHERE p.child_id = edges.parent_id)
          RETURNING child_id
          """,
        arguments: scope.arguments)
      scope = .ids(moved)
    }
  }
}
