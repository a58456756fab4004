import Foundation
import GRDB

/// Lineage queries: recursive CTEs over `edges`, each step an index lookup.
extension ArchiveStore {
  /// Deepest family this reads; only a database edited by other tools could hold a loop, and this ends it.
  static let lineageDepthLimit = 100_000

  /// The family tree around `id`, from its root.
  ///
  /// - Throws: `StoreError.taskNotFound` when the archive knows nothing of `id`.
  public func family(of id: String) throws(StoreError) -> FamilyTree {
    try read { db in
      let path = try Self.path(to: id, in: db)
      guard let rootId = path.first else { throw StoreError.taskNotFound(id: id) }
      guard try Self.isKnown(id, in: db) else { throw StoreError.taskNotFound(id: id) }
      let nodes = try Self.tree(under: rootId, in: db)
      let ids = LineageDerivation.Scope.ids(nodes.map(\.id))
      let rootEdge = try Row.fetchOne(
        db, sql: "SELECT parent_id, kind FROM edges WHERE child_id = ? AND tree_parent_id IS NULL", arguments: [rootId])
      var arguments = ids.arguments
      arguments += ["root": rootId]
      let rerolledInto = try String.fetchAll(
        db,
        sql: """
          SELECT child_id FROM edges WHERE kind = 'reroll' AND tree_parent_id IS NULL AND child_id != :root
            AND \(ids.contains("parent_id")) ORDER BY child_id
          """,
        arguments: arguments)
      return FamilyTree(
        focusId: id, rootId: rootId, nodes: nodes, path: path, rerolledFrom: rootEdge?["parent_id"],
        rerolledInto: rerolledInto, unresolvedParent: try Self.unresolvedParent(of: rootId, in: db),
        problems: try Self.problems(in: ids, in: db) + nodes.filter { !$0.isStored }.map { node in
          LineageProblem(kind: .missingParent, childId: node.childIds.first ?? node.id, parentIds: [node.id])
        })
    }
  }

  /// The root of `id`'s family (`id` itself when it has no parent).
  public func root(of id: String) throws(StoreError) -> String {
    try read { db in try Self.path(to: id, in: db).first ?? id }
  }

  /// The tasks from the root of `id`'s family down to `id`.
  public func path(to id: String) throws(StoreError) -> [String] {
    try read { db in try Self.path(to: id, in: db) }
  }

  /// How many steps `id` is below its root.
  public func depth(of id: String) throws(StoreError) -> Int {
    try path(to: id).count - 1
  }

  /// The other children of `id`'s tree parent (none for a root).
  public func siblings(of id: String) throws(StoreError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT s.child_id FROM edges e JOIN edges s ON s.tree_parent_id = e.tree_parent_id
          WHERE e.child_id = ? AND s.child_id != e.child_id ORDER BY s.child_id
          """,
        arguments: [id])
    }
  }

  /// The final picks under `rootId`: upscales nothing further was made from.
  public func leaves(under rootId: String) throws(StoreError) -> [String] {
    try read { db in
      try Self.tree(under: rootId, in: db)
        .filter { $0.step?.isUpscale == true && $0.childIds.isEmpty }
        .map(\.id)
    }
  }

  /// Every trace linking the given children to a parent, strongest first, and whether the tree uses it.
  public func evidence(for childIds: [String]) throws(StoreError) -> [EdgeEvidence] {
    let scope = LineageDerivation.Scope.ids(childIds)
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT l.*, e.child_id IS NOT NULL AS used FROM lineage_evidence l
          LEFT JOIN edges e ON e.child_id = l.child_id AND e.parent_id = l.parent_id AND e.evidence = l.evidence
          WHERE \(scope.contains("l.child_id")) ORDER BY l.child_id, l.evidence, l.parent_id
          """,
        arguments: scope.arguments
      ).map { row in
        EdgeEvidence(
          childId: row["child_id"], parentId: row["parent_id"],
          evidence: LineageEvidence(rawValue: row["evidence"]) ?? .jobHash,
          step: Self.step(kind: row["kind"], index: row["button_index"]), customId: row["custom_id"],
          isUsed: row["used"], rejected: row["rejected"])
      }
    }
  }

  /// Bad lineage data anywhere in the archive, at most `limit` of each kind.
  public func lineageProblems(limit: Int = 20) throws(StoreError) -> [LineageProblem] {
    try read { db in
      let missing = try Row.fetchAll(
        db,
        sql: """
          SELECT e.child_id, e.parent_id, e.evidence FROM edges e
          WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.parent_id) ORDER BY e.child_id LIMIT ?
          """,
        arguments: [limit]
      ).map { row in
        LineageProblem(
          kind: .missingParent, childId: row["child_id"], parentIds: [row["parent_id"]],
          evidence: LineageEvidence(rawValue: row["evidence"]))
      }
      return try Self.problems(in: .all, limit: limit, in: db) + missing
    }
  }

  /// The parent and children of one task, by the edges, and its family's root.
  static func links(of id: String, in db: Database) throws -> (
    parent: LineageNode?, children: [LineageNode], rootId: String
  ) {
    let parent = try Row.fetchOne(
      db, sql: "\(linkColumns) FROM edges e LEFT JOIN tasks t ON t.id = e.parent_id WHERE e.child_id = ?",
      arguments: [id]
    ).map { node($0, id: $0["parent_id"]) }
    let children = try Row.fetchAll(
      db,
      sql: """
        \(linkColumns) FROM edges e LEFT JOIN tasks t ON t.id = e.child_id WHERE e.parent_id = ?
        ORDER BY t.submit_time, e.child_id
        """,
      arguments: [id]
    ).map { node($0, id: $0["child_id"]) }
    return (parent, children, try path(to: id, in: db).first ?? id)
  }

  /// An edge's step with what is known of the task at its other end (`t`, joined by the caller).
  private static let linkColumns = """
    SELECT e.child_id, e.parent_id, e.evidence, e.kind, e.button_index, e.custom_id, t.action, t.status, t.prompt,
      t.submit_time, t.id IS NOT NULL AS stored, \(buttonLabel) AS button
    """

  /// The label (else the emoji) of the button that made the child of edge `e`, from its parent's buttons.
  private static let buttonLabel = """
    (SELECT CASE WHEN b.label != '' THEN b.label ELSE b.emoji END FROM buttons b
      WHERE b.task_id = e.parent_id AND b.custom_id = e.custom_id)
    """

  private static func node(_ row: Row, id: String) -> LineageNode {
    LineageNode(
      id: id, parentId: nil, madeFromId: nil, step: step(kind: row["kind"], index: row["button_index"]),
      button: row["button"], customId: row["custom_id"], evidence: LineageEvidence(rawValue: row["evidence"] ?? 0), depth: 0,
      action: row["action"], status: row["status"], prompt: row["prompt"], submitTime: row["submit_time"],
      imagePath: nil, isStored: row["stored"], childIds: [])
  }

  /// Root first, `id` last; a loop in foreign data ends the path where it repeats.
  static func path(to id: String, in db: Database) throws -> [String] {
    let upward = try String.fetchAll(
      db,
      sql: """
        WITH RECURSIVE up(id, depth) AS (
          SELECT ?, 0
          UNION ALL SELECT e.tree_parent_id, up.depth + 1 FROM up JOIN edges e ON e.child_id = up.id
          WHERE e.tree_parent_id IS NOT NULL AND up.depth < \(lineageDepthLimit)
        )
        SELECT id FROM up ORDER BY depth
        """,
      arguments: [id])
    var seen = Set<String>()
    return Array(upward.prefix { seen.insert($0).inserted }.reversed())
  }

  private static func isKnown(_ id: String, in db: Database) throws -> Bool {
    try Bool.fetchOne(
      db,
      sql: """
        SELECT EXISTS (SELECT 1 FROM tasks WHERE id = :id) OR EXISTS (SELECT 1 FROM known_tasks WHERE id = :id)
          OR EXISTS (SELECT 1 FROM edges WHERE child_id = :id) OR EXISTS (SELECT 1 FROM edges WHERE parent_id = :id)
        """,
      arguments: ["id": id]) ?? false
  }

  /// Every node under `rootId`, each before its children, children oldest first.
  static func tree(under rootId: String, in db: Database) throws -> [LineageNode] {
    // Columns are read by position: a 10,000-node family is 10,000 rows, and lookups by name cost more than the query.
    let rows = try Row.fetchCursor(
      db,
      sql: """
        WITH RECURSIVE tree(id) AS (
          SELECT ? UNION SELECT e.child_id FROM edges e JOIN tree ON e.tree_parent_id = tree.id
        )
        SELECT tree.id, e.parent_id, e.tree_parent_id, e.evidence, e.kind, e.button_index, e.custom_id,
          t.id IS NOT NULL, t.action, t.status, t.prompt, t.submit_time, \(buttonLabel),
          (SELECT path FROM images i WHERE i.task_id = tree.id AND i.kind = 'original')
        FROM tree LEFT JOIN edges e ON e.child_id = tree.id LEFT JOIN tasks t ON t.id = tree.id
        """,
      arguments: [rootId])
    var nodes: [LineageNode] = []
    var position: [String: Int] = [:]
    var treeParents: [String?] = []
    while let row = try rows.next() {
      let id: String = row[0]
      let isRoot = id == rootId
      position[id] = nodes.count
      treeParents.append(isRoot ? nil : row[2])
      nodes.append(
        LineageNode(
          id: id, parentId: isRoot ? nil : row[2], madeFromId: isRoot ? nil : row[1],
          step: isRoot ? nil : step(kind: row[4], index: row[5]), button: row[12], customId: row[6],
          evidence: isRoot ? nil : (row[3] as Int?).flatMap(LineageEvidence.init(rawValue:)), depth: 0,
          action: row[8], status: row[9], prompt: row[10], submitTime: row[11], imagePath: row[13], isStored: row[7],
          childIds: []))
    }
    var children = Array(repeating: [Int](), count: nodes.count)
    for (index, parent) in treeParents.enumerated() {
      if let parent, let at = position[parent] { children[at].append(index) }
    }
    for index in children.indices where children[index].count > 1 {
      children[index].sort { left, right in
        let (a, b) = (nodes[left].submitTime ?? 0, nodes[right].submitTime ?? 0)
        return a != b ? a < b : nodes[left].id < nodes[right].id
      }
    }
    // Preorder without recursion, so a 10,000-deep chain cannot overflow the stack.
    var ordered: [LineageNode] = []
    ordered.reserveCapacity(nodes.count)
    var visited = Array(repeating: false, count: nodes.count)
    var stack: [(Int, Int)] = position[rootId].map { [($0, 0)] } ?? []
    while let (index, depth) = stack.popLast() {
      guard !visited[index] else { continue }
      visited[index] = true
      var node = nodes[index]
      node.depth = depth
      node.childIds = children[index].map { nodes[$0].id }
      ordered.append(node)
      stack += children[index].reversed().map { ($0, depth + 1) }
    }
    return ordered
  }

  /// For a root made by a button whose parent is not archived: the trace that names the parent.
  private static func unresolvedParent(of rootId: String, in db: Database) throws -> String? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT lineage_kind, parent_id, parent_message_id, parent_hash FROM tasks
          WHERE id = ? AND lineage_kind IS NOT NULL AND lineage_kind != 'reroll'
          """,
        arguments: [rootId])
    else { return nil }
    if let hash: String = row["parent_hash"] { return "job hash \(hash)" }
    if let message: String = row["parent_message_id"] { return "message \(message)" }
    return "no trace of which task"
  }

  private static func problems(in scope: LineageDerivation.Scope, limit: Int = 1_000, in db: Database) throws
    -> [LineageProblem]
  {
    var arguments = scope.arguments
    arguments += ["limit": limit]
    let selfReferences = try Row.fetchAll(
      db,
      sql: """
        SELECT child_id, min(evidence) AS evidence FROM lineage_evidence
        WHERE child_id = parent_id AND \(scope.contains("child_id")) GROUP BY child_id ORDER BY child_id LIMIT :limit
        """,
      arguments: arguments
    ).map { row in
      LineageProblem(
        kind: .selfReference, childId: row["child_id"], parentIds: [row["child_id"]],
        evidence: LineageEvidence(rawValue: row["evidence"]))
    }
    let cycles = try Row.fetchAll(
      db,
      sql: """
        SELECT child_id, parent_id, evidence FROM lineage_evidence
        WHERE rejected = 'cycle' AND \(scope.contains("child_id")) ORDER BY child_id LIMIT :limit
        """,
      arguments: arguments
    ).map { row in
      LineageProblem(
        kind: .cycle, childId: row["child_id"], parentIds: [row["parent_id"]],
        evidence: LineageEvidence(rawValue: row["evidence"]))
    }
    let conflicts = try Row.fetchAll(
      db,
      sql: """
        SELECT l.child_id, l.evidence, group_concat(l.parent_id, ' ') AS parents FROM lineage_evidence l
        JOIN edges e ON e.child_id = l.child_id AND e.evidence = l.evidence
        WHERE \(scope.contains("l.child_id")) AND l.child_id != l.parent_id AND l.rejected IS NULL
        GROUP BY l.child_id HAVING count(*) > 1 ORDER BY l.child_id LIMIT :limit
        """,
      arguments: arguments
    ).map { row in
      LineageProblem(
        kind: .conflict, childId: row["child_id"],
        parentIds: (row["parents"] as String? ?? "").split(separator: " ").map(String.init).sorted(),
        evidence: LineageEvidence(rawValue: row["evidence"]))
    }
    return selfReferences + cycles + conflicts
  }

  static func step(kind: String?, index: Int?) -> LineageStep? {
    kind.map { LineageStep(kind: $0, index: index) }
  }
}
