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
      guard let rootId = path.first, try Self.isKnown(id, in: db) else { throw StoreError.taskNotFound(id: id) }
      let (nodes, rerolledInto) = try Self.tree(under: rootId, in: db)
      let rootEdge = try Row.fetchOne(
        db, sql: "SELECT parent_id FROM edges WHERE child_id = ? AND tree_parent_id IS NULL", arguments: [rootId])
      return FamilyTree(
        focusId: id, rootId: rootId, nodes: nodes, path: path, rerolledFrom: rootEdge?["parent_id"],
        rerolledInto: rerolledInto, unresolvedParent: try Self.unresolvedParent(of: rootId, in: db),
        problems: try Self.problems(in: .ids(nodes.map(\.id)), in: db)
          + nodes.filter { !$0.isStored }.map { node in
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
      guard
        let parent = try String.fetchOne(
          db, sql: "SELECT tree_parent_id FROM edges WHERE child_id = ?", arguments: [id])
      else { return [] }
      return try Self.tree(under: parent, in: db).nodes.filter { $0.parentId == parent && $0.id != id }.map(\.id)
        .sorted()
    }
  }

  /// The final picks under `rootId`: upscales nothing further was made from.
  public func leaves(under rootId: String) throws(StoreError) -> [String] {
    try read { db in
      try Self.tree(under: rootId, in: db).nodes
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
          SELECT l.*, e.child_id IS NOT NULL AS used, r.child_id IS NOT NULL AS rejected
          FROM (\(LineageDerivation.candidatesSQL(scope))) AS l
          LEFT JOIN edges e ON e.child_id = l.child_id AND e.parent_id = l.parent_id AND e.evidence = l.evidence
          LEFT JOIN lineage_rejected r
            ON r.child_id = l.child_id AND r.evidence = l.evidence AND r.parent_id = l.parent_id
          ORDER BY l.child_id, l.evidence, l.parent_id
          """,
        arguments: scope.arguments
      ).map { row in
        EdgeEvidence(
          childId: row["child_id"], parentId: row["parent_id"],
          evidence: LineageEvidence(rawValue: row["evidence"]) ?? .jobHash,
          step: Self.step(kind: row["kind"], index: row["button_index"]), customId: row["custom_id"],
          isUsed: row["used"], rejected: row["rejected"] ? "cycle" : nil)
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
      t.submit_time, t.id IS NOT NULL AS stored, e.button
    """

  private static func node(_ row: Row, id: String) -> LineageNode {
    LineageNode(
      id: id, parentId: nil, madeFromId: nil, step: step(kind: row["kind"], index: row["button_index"]),
      button: row["button"], customId: row["custom_id"], evidence: LineageEvidence(rawValue: row["evidence"] ?? 0),
      depth: 0,
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

  /// Every node under `rootId`, each before its children, children oldest first, and the rerolls
  /// of its grids that start families of their own.
  ///
  /// The walk follows `edges_parent` (the task whose button made each child) and carries each edge's
  /// columns along; a reroll placed beside its grid is reached through that grid and hung under its tree parent.
  static func tree(under rootId: String, in db: Database) throws -> (nodes: [LineageNode], rerolledInto: [String]) {
    // Columns are read by position: a 10,000-node family is 10,000 rows, and lookups by name cost more than the query.
    let rows = try Row.fetchCursor(
      db,
      sql: """
        WITH RECURSIVE tree(id, stop, depth, parent_id, tree_parent_id, evidence, kind, button_index, custom_id, button)
        AS (
          SELECT ?, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          UNION ALL
          SELECT e.child_id, e.tree_parent_id IS NULL, tree.depth + 1, e.parent_id, e.tree_parent_id, e.evidence, e.kind,
            e.button_index, e.custom_id, e.button
          FROM edges e JOIN tree ON e.parent_id = tree.id
          WHERE tree.stop = 0 AND tree.depth < \(lineageDepthLimit)
        )
        SELECT tree.id, tree.stop, tree.parent_id, tree.tree_parent_id, tree.evidence, tree.kind, tree.button_index,
          tree.custom_id, t.id IS NOT NULL, t.action, t.status, t.prompt, t.submit_time, tree.button,
          (SELECT path FROM images i WHERE i.task_id = tree.id AND i.kind = 'original')
        FROM tree LEFT JOIN tasks t ON t.id = tree.id
        """,
      arguments: [rootId])
    var nodes: [LineageNode] = []
    var rerolledInto: [String] = []
    var position: [String: Int] = [:]
    while let row = try rows.next() {
      let id: String = row[0]
      let isRoot = id == rootId
      // Edges never loop (derivation rejects such links); the depth bound only ends one written by other tools.
      guard position[id] == nil else { continue }
      if !isRoot && row[1] as Bool {
        rerolledInto.append(id)
        continue
      }
      position[id] = nodes.count
      nodes.append(
        LineageNode(
          id: id, parentId: isRoot ? nil : row[3], madeFromId: isRoot ? nil : row[2],
          step: isRoot ? nil : step(kind: row[5], index: row[6]), button: row[13], customId: row[7],
          evidence: isRoot ? nil : (row[4] as Int?).flatMap(LineageEvidence.init(rawValue:)), depth: 0,
          action: row[9], status: row[10], prompt: row[11], submitTime: row[12], imagePath: row[14], isStored: row[8],
          childIds: []))
    }
    var children = Array(repeating: [Int](), count: nodes.count)
    for index in nodes.indices where nodes[index].id != rootId {
      // Hung under its tree parent; under the task it was made from if that parent is not in this family.
      guard
        let parent = nodes[index].parentId.flatMap({ position[$0] })
          ?? nodes[index].madeFromId.flatMap({ position[$0] })
      else { continue }
      children[parent].append(index)
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
    return (ordered, Array(Set(rerolledInto)).sorted())
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

  /// The recorded problems of the children in the scope (usually none: the table is checked first).
  ///
  /// The scope is built only when the table holds anything: for a large family it is every node's id.
  private static func problems(
    in makeScope: @autoclosure () -> LineageDerivation.Scope, limit: Int = 1_000, in db: Database
  ) throws -> [LineageProblem] {
    guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM lineage_problems)") == true else { return [] }
    let scope = makeScope()
    var arguments = scope.arguments
    arguments += ["limit": limit]
    return try Row.fetchAll(
      db,
      sql: """
        SELECT child_id, kind, evidence, parent_ids FROM lineage_problems WHERE \(scope.contains("child_id"))
        ORDER BY kind, child_id LIMIT :limit
        """,
      arguments: arguments
    ).compactMap { row in
      LineageProblem.Kind(rawValue: row["kind"]).map { kind in
        LineageProblem(
          kind: kind, childId: row["child_id"],
          parentIds: (row["parent_ids"] as String? ?? "").split(separator: ",").map(String.init).sorted(),
          evidence: (row["evidence"] as Int?).flatMap(LineageEvidence.init(rawValue:)))
      }
    }
  }

  static func step(kind: String?, index: Int?) -> LineageStep? {
    kind.map { LineageStep(kind: $0, index: index) }
  }
}
