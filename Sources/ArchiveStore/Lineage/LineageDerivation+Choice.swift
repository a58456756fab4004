import Foundation
import GRDB

extension LineageDerivation {
  /// Picks each child's edge, breaks loops, places rerolls and records what is wrong.
  static func choose(_ children: Scope, in db: Database) throws {
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
  static func pick(_ children: Scope, in db: Database) throws {
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
  static func breakCycles(_ children: Scope, in db: Database) throws {
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
  static func recordProblems(_ children: Scope, in db: Database) throws {
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
  static func placeRerolls(_ changed: Scope, in db: Database) throws {
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
