import Foundation
import GRDB

/// Keeps `lineage_evidence` and `edges` in step with the tasks, in set-based SQL per batch.
///
/// Every trace a task leaves is a row of evidence; `edges` holds the one link used for each child:
/// the strongest evidence, never a self-reference, never one that would close a cycle. A child
/// stored before its parent links up when the parent arrives: the parent's message id and job hash
/// are looked up in indexed columns of the children, so no step scans the archive.
enum LineageDerivation {
  /// Which children a step covers: the ids of one batch, or every task.
  enum Scope {
    case ids([String])
    case all

    /// `column IN (…)` for this scope, with `:scope` bound by `arguments`.
    func contains(_ column: String) -> String {
      switch self {
      case .ids: "\(column) IN (SELECT value FROM json_each(:scope))"
      case .all: "\(column) IS NOT NULL"
      }
    }

    var arguments: StatementArguments {
      switch self {
      case .ids(let ids):
        // Task ids are 1–64 of [A-Za-z0-9_-] (TaskID), so they need no escaping inside JSON strings.
        ["scope": "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]"]
      case .all: [:]
      }
    }

    var isEmpty: Bool {
      if case .ids(let ids) = self { return ids.isEmpty }
      return false
    }
  }

  /// The columns an evidence row takes from its child.
  private static let childColumns = "c.lineage_kind, c.lineage_index, c.parent_custom_id"

  /// Derives the evidence of tasks just stored, both as children and as parents, and re-chooses the affected edges.
  static func derive(taskIds: [String], in db: Database) throws {
    guard !taskIds.isEmpty else { return }
    let batch = Scope.ids(taskIds)
    let formerChildren = try String.fetchAll(
      db, sql: "SELECT child_id FROM lineage_evidence WHERE \(batch.contains("parent_id"))", arguments: batch.arguments)
    try db.execute(
      sql: """
        DELETE FROM lineage_evidence WHERE evidence > 1 AND \(batch.contains("child_id"));
        DELETE FROM lineage_evidence WHERE evidence IN (3, 4) AND \(batch.contains("parent_id"));
        INSERT OR IGNORE INTO lineage_evidence (child_id, evidence, parent_id, kind, button_index, custom_id)
          SELECT c.id, 2, c.parent_id, \(childColumns) FROM tasks c
            WHERE \(batch.contains("c.id")) AND c.parent_id IS NOT NULL
          UNION ALL SELECT c.id, 3, p.id, \(childColumns) FROM tasks c JOIN tasks p ON p.message_id = c.parent_message_id
            WHERE \(batch.contains("c.id"))
          UNION ALL SELECT c.id, 4, p.id, \(childColumns) FROM tasks c JOIN tasks p ON p.job_hash = c.parent_hash
            WHERE \(batch.contains("c.id"))
          UNION ALL SELECT c.id, 3, p.id, \(childColumns) FROM tasks p JOIN tasks c ON c.parent_message_id = p.message_id
            WHERE \(batch.contains("p.id"))
          UNION ALL SELECT c.id, 4, p.id, \(childColumns) FROM tasks p JOIN tasks c ON c.parent_hash = p.job_hash
            WHERE \(batch.contains("p.id"));
        """,
      arguments: batch.arguments)
    let children = try String.fetchAll(
      db, sql: "SELECT child_id FROM lineage_evidence WHERE \(batch.contains("parent_id"))", arguments: batch.arguments)
    try choose(.ids(Array(Set(taskIds + formerChildren + children))), in: db)
  }

  /// Records the exact link of an action mjarchive submitted, whether or not either task is stored yet.
  static func recordSubmitted(childId: String, parentId: String, customId: String?, in db: Database) throws {
    let step = customId.flatMap(LineageStep.init(customId:))
    try db.execute(
      sql: """
        DELETE FROM lineage_evidence WHERE child_id = ? AND evidence = 1;
        INSERT INTO lineage_evidence (child_id, evidence, parent_id, kind, button_index, custom_id) VALUES (?, 1, ?, ?, ?, ?)
        """,
      arguments: [childId, childId, parentId, step?.kind, step?.index, customId])
    try choose(.ids([childId]), in: db)
  }

  /// Rebuilds all evidence and edges from the tasks and the submissions recorded in `known_tasks`.
  static func rebuild(in db: Database) throws {
    try db.execute(sql: "DELETE FROM lineage_evidence; DELETE FROM edges")
    let submitted = try Row.fetchAll(
      db, sql: "SELECT id, parent_id, custom_id FROM known_tasks WHERE parent_id IS NOT NULL")
    for row in submitted {
      let customId: String? = row["custom_id"]
      let step = customId.flatMap(LineageStep.init(customId:))
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO lineage_evidence (child_id, evidence, parent_id, kind, button_index, custom_id)
          VALUES (?, 1, ?, ?, ?, ?)
          """,
        arguments: [row["id"], row["parent_id"], step?.kind, step?.index, customId])
    }
    try db.execute(
      sql: """
        INSERT OR IGNORE INTO lineage_evidence (child_id, evidence, parent_id, kind, button_index, custom_id)
          SELECT c.id, 2, c.parent_id, \(childColumns) FROM tasks c WHERE c.parent_id IS NOT NULL
          UNION ALL SELECT c.id, 3, p.id, \(childColumns) FROM tasks c JOIN tasks p ON p.message_id = c.parent_message_id
            WHERE c.parent_message_id IS NOT NULL
          UNION ALL SELECT c.id, 4, p.id, \(childColumns) FROM tasks c JOIN tasks p ON p.job_hash = c.parent_hash
            WHERE c.parent_hash IS NOT NULL
        """)
    try choose(.all, in: db)
  }

  /// Picks each child's edge from its evidence, then breaks cycles and places rerolls.
  private static func choose(_ children: Scope, in db: Database) throws {
    guard !children.isEmpty else { return }
    try db.execute(
      sql: """
        DELETE FROM edges WHERE \(children.contains("child_id"));
        INSERT INTO edges (child_id, parent_id, tree_parent_id, evidence, kind, button_index, custom_id)
          SELECT child_id, parent_id, CASE WHEN kind = 'reroll' THEN NULL ELSE parent_id END, evidence, kind,
            button_index, custom_id
          FROM (
            SELECT e.child_id, e.parent_id, e.evidence, e.kind, e.button_index, e.custom_id,
              row_number() OVER (PARTITION BY e.child_id ORDER BY e.evidence, e.parent_id) AS rank
            FROM lineage_evidence e
            WHERE \(children.contains("e.child_id")) AND e.child_id != e.parent_id AND e.rejected IS NULL
          )
          WHERE rank = 1;
        """,
      arguments: children.arguments)
    try breakCycles(children, in: db)
    try placeRerolls(children, in: db)
  }

  /// Rejects, one at a time, a new edge that closes a loop, and re-chooses that child from its other evidence.
  ///
  /// The edges were acyclic before this batch, so any loop runs through one of `children`, and only
  /// through one that has children of its own.
  private static func breakCycles(_ children: Scope, in db: Database) throws {
    let sql = """
      WITH RECURSIVE up(start, node) AS (
        SELECT e.child_id, e.parent_id FROM edges e
        WHERE \(children.contains("e.child_id")) AND EXISTS (SELECT 1 FROM edges d WHERE d.parent_id = e.child_id)
        UNION
        SELECT up.start, e.parent_id FROM up JOIN edges e ON e.child_id = up.node WHERE up.node != up.start
      )
      SELECT start FROM up WHERE node = start ORDER BY start LIMIT 1
      """
    while let looped = try String.fetchOne(db, sql: sql, arguments: children.arguments) {
      try db.execute(
        sql: """
          UPDATE lineage_evidence SET rejected = 'cycle'
          WHERE (child_id, evidence, parent_id) = (SELECT child_id, evidence, parent_id FROM edges WHERE child_id = ?)
          """,
        arguments: [looped])
      try choose(.ids([looped]), in: db)
    }
  }

  /// Sets each reroll's place in the family tree: beside the grid it rerolled (that grid's own tree
  /// parent), or a new root when that grid has none.
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
