import Basics
import Foundation
import GRDB
import MidjourneyAPI

/// Bulk reads for exports: every selected task with its buttons and files, and every lineage edge, in a few scans
/// instead of a query per task.
extension ArchiveStore {
  /// The stored tasks `query` selects among `ids`, newest made first.
  ///
  /// The query's text and filters count, its limit and sort do not. Without a query: every task among `ids`;
  /// without ids: every task the query selects; with neither: every stored task. Unknown ids are left out.
  ///
  /// - Throws: `StoreError.invalidQuery` for FTS5 syntax errors; `StoreError.database` when the archive cannot be read.
  public func archivedTasks(matching query: SearchQuery? = nil, among ids: [String]? = nil) throws(StoreError)
    -> [ArchivedTask]
  {
    let selection = try query.map { query throws(StoreError) in try Self.selection(for: query) }
    return try read { db in
      guard selection != nil || ids != nil else {
        let buttons = try Self.buttons(in: db, where: nil)
        let files = try Self.files(in: db, where: nil)
        return try Self.tasks(in: db, sql: "SELECT \(Self.taskColumns) FROM tasks t ORDER BY t.seq DESC", arguments: [])
          .map { Self.completed($0, buttons: buttons, files: files) }
      }
      // Only sequence numbers are read to choose the tasks; the rows come after, 500 at a time.
      var chosen: Set<Int64>?
      if let selection {
        chosen = Set(
          try Int64.fetchAll(
            db, sql: "SELECT t.seq \(selection.from)", arguments: StatementArguments(selection.arguments)))
      }
      if let ids {
        var seqs: Set<Int64> = []
        for chunk in Self.chunks(of: ids) {
          seqs.formUnion(
            try Int64.fetchAll(
              db, sql: "SELECT seq FROM tasks WHERE id IN (\(Self.marks(chunk.count)))",
              arguments: StatementArguments(Array(chunk))))
        }
        chosen = chosen.map { $0.intersection(seqs) } ?? seqs
      }
      return try Self.tasks(bySeq: (chosen ?? []).sorted(by: >), in: db)
    }
  }

  /// Every lineage edge in the archive.
  ///
  /// - Throws: `StoreError.database` when the archive cannot be read.
  public func lineageLinks() throws(StoreError) -> [LineageLink] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT child_id, parent_id, tree_parent_id, kind, button_index, button FROM edges"
      ).map { row in
        let kind: String? = row[3]
        let index: Int? = row[4]
        return LineageLink(
          childId: row[0], madeFromId: row[1], treeParentId: row[2],
          step: kind.map { LineageStep(kind: $0, index: index) }, button: row[5])
      }
    }
  }

  private static let taskColumns = """
    t.seq, t.id, t.action, t.status, t.progress, t.prompt, t.prompt_en, t.final_prompt, t.description, t.fail_reason,
      t.submit_time, t.start_time, t.finish_time, t.job_hash,
      (SELECT s.seed FROM image_seeds s WHERE s.task_id = t.id) AS seed
    """

  /// Reads tasks in `seqs`' order, with their buttons and files, 500 at a time.
  private static func tasks(bySeq seqs: [Int64], in db: Database) throws -> [ArchivedTask] {
    var tasks: [ArchivedTask] = []
    tasks.reserveCapacity(seqs.count)
    for chunk in chunks(of: seqs) {
      let marks = marks(chunk.count)
      let ids = "SELECT id FROM tasks WHERE seq IN (\(marks))"
      let arguments = StatementArguments(Array(chunk))
      let buttons = try buttons(in: db, where: (ids, arguments))
      let files = try files(in: db, where: (ids, arguments))
      let rows = try self.tasks(
        in: db, sql: "SELECT \(taskColumns) FROM tasks t WHERE t.seq IN (\(marks))", arguments: arguments)
      let bySeq = Dictionary(rows.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
      tasks += chunk.compactMap { bySeq[$0] }.map { completed($0, buttons: buttons, files: files) }
    }
    return tasks
  }

  private static func tasks(in db: Database, sql: String, arguments: StatementArguments) throws -> [ArchivedTask] {
    try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
      ArchivedTask(
        id: row[1], seq: row[0], action: row[2], status: row[3], progress: row[4], prompt: row[5], promptEn: row[6],
        finalPrompt: row[7], description: row[8], failReason: row[9], submitTime: row[10], startTime: row[11],
        finishTime: row[12], buttons: [], jobHash: row[13], seed: row[14], files: [])
    }
  }

  private static func completed(_ task: ArchivedTask, buttons: [String: TaskButtons], files: [String: [StoredFile]])
    -> ArchivedTask
  {
    var task = task
    task.buttons = buttons[task.id]?.buttons ?? []
    task.showsUpscaleButtons = buttons[task.id]?.upscale ?? false
    task.files = files[task.id] ?? []
    return task
  }

  /// A task's buttons as exports keep them, and whether one was U1–U4.
  private typealias TaskButtons = (buttons: [ArchivedTask.Button], upscale: Bool)

  /// Buttons by task id, in the order the gateway listed them; `scope` limits them to a subquery's task ids.
  ///
  /// Read from each task's raw JSON as `GatewayTask` reads them, skipping the rest of it, on every core a few
  /// thousand at a time: the `buttons` view re-parses each button's JSON for every column (6.3 s for 100k tasks).
  private static func buttons(
    in db: Database, where scope: (ids: String, arguments: StatementArguments)?
  ) throws -> [String: TaskButtons] {
    var buttons: [String: TaskButtons] = [:]
    let rows = try Row.fetchCursor(
      db, sql: "SELECT id, raw_json FROM tasks \(scope.map { "WHERE id IN (\($0.ids))" } ?? "")",
      arguments: scope?.arguments ?? [])
    var pending: [(id: String, raw: Data)] = []
    func parsePending() {
      let parsed = pending.concurrentMap { task -> TaskButtons in
        let read = GatewayTask.buttons(inRaw: task.raw)
        return (
          read.map { ArchivedTask.Button(label: $0.label, emoji: $0.emoji) },
          read.contains { ArchivedTask.isUpscaleButton($0.customId) }
        )
      }
      for (task, taskButtons) in zip(pending, parsed) where !taskButtons.buttons.isEmpty {
        buttons[task.id] = taskButtons
      }
      pending.removeAll(keepingCapacity: true)
    }
    while let row = try rows.next() {
      pending.append((row[0], row[1]))
      if pending.count == 4_000 { parsePending() }
    }
    parsePending()
    return buttons
  }

  /// Files by task id: the original, quadrants 1–4, then thumbnails by part and edge.
  private static func files(
    in db: Database, where scope: (ids: String, arguments: StatementArguments)?
  ) throws -> [String: [StoredFile]] {
    var files: [String: [StoredFile]] = [:]
    let sql = """
      SELECT task_id, kind, part, edge, path, sha256, format, width, height, bytes, source_url FROM images
      \(scope.map { "WHERE task_id IN (\($0.ids))" } ?? "") ORDER BY task_id, kind, part, edge
      """
    let rows = try Row.fetchCursor(db, sql: sql, arguments: scope?.arguments ?? [])
    while let row = try rows.next() {
      guard let kind = StoredFile.Kind(rawValue: row[1]) else { continue }
      files[row[0], default: []].append(
        StoredFile(
          kind: kind, part: row[2], edge: row[3], path: row[4], sha256: row[5], format: row[6], width: row[7],
          height: row[8], bytes: row[9], sourceURL: row[10]))
    }
    return files
  }
}
