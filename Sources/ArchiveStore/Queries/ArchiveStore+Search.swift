import Foundation
import GRDB

/// Full-text search with filters.
extension ArchiveStore {
  /// Finds tasks.
  ///
  /// - Throws: `StoreError.invalidQuery` for FTS5 syntax errors, with SQLite's pointer to the problem.
  public func search(_ query: SearchQuery) throws(StoreError) -> [SearchHit] {
    guard query.oneHitPerFamily else { return try withRoots(try hits(query)) }
    // Families are found among the hits: read more of them until enough families are seen or the hits run out.
    var window = query
    window.limit = min(100_000, query.limit * 8)
    while true {
      let hits = try withRoots(try self.hits(window))
      var families: [SearchHit] = []
      var index: [String: Int] = [:]
      for hit in hits {
        if let at = index[hit.rootId] {
          families[at].familyHits += 1
        } else {
          index[hit.rootId] = families.count
          families.append(hit)
        }
      }
      if families.count >= query.limit || hits.count < window.limit || window.limit >= 100_000 {
        return Array(families.prefix(query.limit))
      }
      window.limit = min(100_000, window.limit * 4)
    }
  }

  /// Sets each hit's family root.
  private func withRoots(_ hits: [SearchHit]) throws(StoreError) -> [SearchHit] {
    try read { db in
      try hits.map { hit in
        var hit = hit
        hit.rootId = try Self.path(to: hit.id, in: db).first ?? hit.id
        return hit
      }
    }
  }

  /// The FROM and WHERE clauses that select `query`'s hits, with their arguments.
  struct Selection {
    var from: String
    var arguments: [(any DatabaseValueConvertible)?]
    var usesIndex: Bool
    var match: String
  }

  static func selection(for query: SearchQuery) throws(StoreError) -> Selection {
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    let text = query.text.trimmingCharacters(in: .whitespacesAndNewlines)
    try SearchQuery.checkSize(of: text)
    let usesIndex = !text.isEmpty
    let match = FTSQueryRewriter.rewrite(text)
    if usesIndex {
      conditions.append("tasks_fts MATCH ?")
      arguments.append(match)
    }
    func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
      conditions.append(condition)
      arguments.append(value)
    }
    if let action = query.action { add("t.action = ?", action.uppercased()) }
    if let status = query.status { add("t.status = ?", status.uppercased()) }
    if let ratio = query.aspectRatio { add("p.aspect_ratio = ?", ratio) }
    if let version = query.version { add("p.version = ?", version) }
    if let niji = query.niji { add("p.niji = ?", niji) }
    if let sref = query.sref { add("instr(p.sref, ?) > 0", sref) }
    if let seed = query.seed {
      // The prompt's --seed, or the seed the gateway gave for the picture (sync --seeds).
      add("(p.seed = ? OR EXISTS (SELECT 1 FROM image_seeds s WHERE s.task_id = t.id AND s.seed = ?))", seed)
      arguments.append(seed)
    }
    if let since = query.since { add("t.submit_time >= ?", since) }
    if let until = query.until { add("t.submit_time < ?", until) }
    if query.hasImage {
      conditions.append("EXISTS (SELECT 1 FROM images i WHERE i.task_id = t.id AND i.kind = 'original')")
    }
    // Index order (rowid = seq) lets FTS5 stream hits and stop at the limit; sorting by a joined
    // column would visit every hit first.
    let source = usesIndex ? "tasks_fts JOIN tasks t ON t.seq = tasks_fts.rowid" : "tasks t"
    let from = """
      FROM \(source) LEFT JOIN task_parameters p ON p.task_id = t.id
      \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
      """
    return Selection(from: from, arguments: arguments, usesIndex: usesIndex, match: match)
  }

  private func hits(_ query: SearchQuery) throws(StoreError) -> [SearchHit] {
    let selection = try Self.selection(for: query)
    let (from, arguments, usesIndex, match) = (
      selection.from, selection.arguments, selection.usesIndex, selection.match
    )
    let limit = max(1, min(query.limit, 100_000))
    if query.sort == .relevance && usesIndex {
      return try read { db in try Self.ranked(from: from, arguments: arguments, match: match, limit: limit, in: db) }
    }
    let order = query.sort == .oldest ? "t.seq ASC" : "t.seq DESC"
    let indexOrder = usesIndex ? (query.sort == .oldest ? "tasks_fts.rowid ASC" : "tasks_fts.rowid DESC") : order
    let sql = "SELECT \(Self.columns(usesIndex: usesIndex)) \(from) ORDER BY \(indexOrder) LIMIT ?"
    return try read { db in
      try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments + [limit])).map(Self.hit)
    }
  }

  /// The result columns; the snippet needs the FTS cursor, so it is only there when the index is used.
  private static func columns(usesIndex: Bool) -> String {
    let snippet = usesIndex ? "snippet(tasks_fts, 0, char(57344), char(57345), '…', 24)" : "coalesce(t.prompt, '')"
    return """
      t.seq, t.id, t.action, t.status, t.progress, t.prompt, t.prompt_en, t.final_prompt, t.submit_time, t.finish_time,
        t.image_url, t.message_hash, (SELECT parent_id FROM edges e WHERE e.child_id = t.id) AS parent_id,
        \(snippet) AS snippet,
        (SELECT path FROM images i WHERE i.task_id = t.id AND i.kind = 'original') AS image_path,
        p.aspect_ratio, p.version, p.niji, p.stylize, p.chaos, p.weird, p.quality, p.seed, p.sref, p.cref, p.no, p.style
      """
  }

  /// bm25 costs ~2 µs a hit, so relevance ranks only the newest `relevanceWindow` hits: find where
  /// that window starts (streaming in index order), rank inside it, then fetch the page with snippets.
  private static func ranked(
    from: String, arguments: [(any DatabaseValueConvertible)?], match: String, limit: Int, in db: Database
  ) throws -> [SearchHit] {
    let cutoff = try Int64.fetchOne(
      db, sql: "SELECT tasks_fts.rowid \(from) ORDER BY tasks_fts.rowid DESC LIMIT 1 OFFSET \(relevanceWindow - 1)",
      arguments: StatementArguments(arguments))
    // `from` always has a WHERE here: the MATCH condition.
    let window = cutoff == nil ? "" : " AND tasks_fts.rowid >= ?"
    let seqs = try Int64.fetchAll(
      db,
      sql: "SELECT t.seq \(from)\(window) ORDER BY bm25(tasks_fts, 4.0, 2.0, 1.0, 0.5, 0.5, 3.0), t.seq DESC LIMIT ?",
      arguments: StatementArguments(arguments + (cutoff.map { [$0] } ?? []) + [limit]))
    guard !seqs.isEmpty else { return [] }
    let marks = seqs.map { _ in "?" }.joined(separator: ", ")
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT \(columns(usesIndex: true)) FROM tasks_fts JOIN tasks t ON t.seq = tasks_fts.rowid
        LEFT JOIN task_parameters p ON p.task_id = t.id WHERE tasks_fts MATCH ? AND tasks_fts.rowid IN (\(marks))
        """,
      arguments: StatementArguments([match] + seqs))
    let bySeq = Dictionary(rows.map { ($0["seq"] as Int64, $0) }, uniquingKeysWith: { first, _ in first })
    return seqs.compactMap { bySeq[$0] }.map(hit)
  }

  /// How many of the newest hits `--sort relevance` ranks.
  public static let relevanceWindow = 2_000

  /// The FTS5 expression a search runs for `text`, so other tools (the sqlite3 shell) can run the same one.
  public static func matchExpression(for text: String) -> String {
    FTSQueryRewriter.rewrite(text)
  }

  private static let parameterColumns = [
    ("aspect_ratio", "ar"), ("version", "version"), ("niji", "niji"), ("stylize", "stylize"), ("chaos", "chaos"),
    ("weird", "weird"), ("quality", "quality"), ("seed", "seed"), ("sref", "sref"), ("cref", "cref"), ("no", "no"),
    ("style", "style"),
  ]

  private static func hit(_ row: Row) -> SearchHit {
    var parameters: [String: String] = [:]
    for (column, name) in parameterColumns {
      if let value: String = row[column] { parameters[name] = value }
    }
    return SearchHit(
      id: row["id"], action: row["action"], status: row["status"], progress: row["progress"], prompt: row["prompt"],
      promptEn: row["prompt_en"], finalPrompt: row["final_prompt"], submitTime: row["submit_time"],
      finishTime: row["finish_time"], imageUrl: row["image_url"], messageHash: row["message_hash"],
      parentId: row["parent_id"], rootId: row["id"], snippet: row["snippet"] ?? "", imagePath: row["image_path"],
      parameters: parameters)
  }
}
