import Foundation
import GRDB
import MidjourneyAPI

extension ArchiveStore {
  /// One batch's writes, inside the writer's transaction: its rows, stored chunk by chunk as they
  /// are derived, then in one pass each the full-text index of the new ones, the counts and the lineage.
  ///
  /// An import keeps one for a transaction of several batches, and indexes them all at its end.
  struct BatchWrite {
    /// When the batch is stored: each new row's `first_seen`, each row's `last_fetched`.
    let now: Int64
    private var outcomes: [StoreOutcome] = []
    /// New rows (by `seq`) not yet in the full-text index.
    private var inserted: [Int64] = []
    /// The milliseconds (as their first `seq`) this batch has stored a task of.
    private var millisecondsUsed: Set<Int64> = []
    private let arena = BindingArena()

    init(now: Int64) {
      self.now = now
    }

    /// Stores the rows of `chunk`, the batch's next tasks.
    mutating func storeRows(of chunk: [PreparedTask], in db: Database) throws {
      // By index throughout, and never gathered here: a PreparedTask is some thirty references, and
      // copying them (zip, filter, append) cost 2–3% of an import's CPU in retains and releases.
      for position in chunk.indices {
        outcomes.append(try store(chunk[position], in: db))
      }
    }

    /// Indexes the new rows, counts them and derives the lineage of every task that changed.
    ///
    /// - Parameter tasks: the batch's tasks, every chunk given to `storeRows` in order.
    mutating func finish(_ tasks: [PreparedTask], labels: [PressedButton], in db: Database) throws -> [StoreOutcome] {
      try indexNewRows(in: db)
      return try finishBatch(tasks, labels: labels, in: db)
    }

    /// Counts the batch's new tasks and derives the lineage of every task that changed, leaving the
    /// full-text index to `indexNewRows`; the next `storeRows` starts a new batch.
    ///
    /// Lineage and counts read no full-text index, so a transaction of several batches (`import`)
    /// indexes them all in one statement before it commits.
    mutating func finishBatch(_ tasks: [PreparedTask], labels: [PressedButton], in db: Database) throws
      -> [StoreOutcome]
    {
      defer { outcomes.removeAll(keepingCapacity: true) }
      try ArchiveStore.countInserted(tasks, outcomes: outcomes, in: db)
      let changed = tasks.indices.compactMap { position -> LineageDerivation.ChangedTask? in
        let outcome = outcomes[position]
        guard outcome == .inserted || outcome == .updated else { return nil }
        let record = tasks[position].record
        return LineageDerivation.ChangedTask(
          id: record.id, messageId: record.messageId, jobHash: record.jobHash,
          mayHaveNewParent: outcome == .updated || record.hasParentTrace)
      }
      try LineageDerivation.derive(changed, labels: labels, in: db)
      return outcomes
    }

    /// Adds the rows inserted since the last call to the full-text index.
    mutating func indexNewRows(in db: Database) throws {
      try ArchiveStore.index(inserted, in: db)
      inserted.removeAll()
    }

    private mutating func store(_ prepared: PreparedTask, in db: Database) throws -> StoreOutcome {
      let (task, record) = (prepared.task, prepared.record)
      guard TaskID.isValid(task.id) else {
        throw StoreError.invalidFilter(GatewayError.invalidTaskID(task.id).description)
      }
      // Insert first, at the first `seq` of its millisecond: a new task (the bulk of any import or sync)
      // then costs one statement. The row is skipped if the id is stored or another task holds that `seq`.
      let first = ArchiveStore.firstSequence(madeAt: task.submitTime, now: now)
      if millisecondsUsed.insert(first).inserted, try insert(prepared, seq: first, orIgnore: true, in: db) {
        return .inserted
      }
      let select = try db.cachedStatement(sql: "SELECT seq, status, raw_json, submit_time FROM tasks WHERE id = ?")
      guard let existing = try Row.fetchOne(select, arguments: [task.id]) else {
        // New, made in a millisecond another task was made in: the next `seq` of it.
        let seq = try ArchiveStore.sequence(madeAt: task.submitTime, now: now, in: db)
        return try insert(prepared, seq: seq, orIgnore: false, in: db) ? .inserted : .unchanged
      }
      let oldStatus = TaskStatus(rawValue: existing["status"] ?? "")
      let oldRaw: Data = existing["raw_json"]
      let outcome: StoreOutcome
      if oldRaw == task.raw {
        outcome = .unchanged
      } else if oldStatus.isFinal && !task.isFinished {
        outcome = .keptFinished
      } else {
        outcome = .updated
      }
      guard outcome == .updated else {
        try db.cachedStatement(sql: "UPDATE tasks SET last_fetched = ? WHERE id = ?").execute(arguments: [now, task.id])
        if outcome == .keptFinished {
          try keepHistory(task.id, raw: task.raw, reason: "unfinished after finished", in: db)
        }
        return outcome
      }
      if oldStatus.isFinal { try keepHistory(task.id, raw: oldRaw, reason: "replaced", in: db) }
      if inserted.contains(existing["seq"]) {
        // The task came earlier in this batch and is not in the full-text index yet: the update trigger
        // would remove terms FTS5 never had, which it reports as a malformed database. Index it first.
        try indexNewRows(in: db)
      }
      var update: RawBindings
      if (existing["submit_time"] as Int64? ?? 0) <= 0, (task.submitTime ?? 0) > 0 {
        // The time it was made is known now: re-key it once, so newest-first search puts it where it belongs.
        // The update trigger moves its index entry from the old rowid to the new one.
        let seq = try ArchiveStore.sequence(madeAt: task.submitTime, now: now, in: db)
        update = RawBindings(try db.cachedStatement(sql: Self.rekeyingUpdateSQL), arena: arena)
        update.bind(seq)
      } else {
        update = RawBindings(try db.cachedStatement(sql: Self.updateSQL), arena: arena)
      }
      record.bind(into: &update, includingId: false)
      update.bind(now)
      update.bind(task.id)
      try update.execute()
      try ArchiveStore.storeParameters(
        of: record, parameters: prepared.parameters, in: db, replacing: true, arena: arena)
      return .updated
    }

    /// Keeps an answer of a finished task that `tasks` no longer holds (or never will), once.
    private func keepHistory(_ id: String, raw: Data, reason: String, in db: Database) throws {
      try db.cachedStatement(
        sql: """
          INSERT INTO task_history (task_id, raw_json, recorded_at, reason) SELECT ?1, ?2, ?3, ?4
          WHERE NOT EXISTS (SELECT 1 FROM task_history WHERE task_id = ?1 AND raw_json = ?2)
          """
      ).execute(arguments: [id, raw, now, reason])
    }

    /// Inserts a task's row (unless its id is stored already) and its parameters; true if it did.
    ///
    /// `orIgnore` also skips the row when another task holds `seq`; nil lets SQLite pick a free one.
    private mutating func insert(_ prepared: PreparedTask, seq: Int64?, orIgnore: Bool, in db: Database) throws
      -> Bool
    {
      var insert = RawBindings(
        try db.cachedStatement(sql: orIgnore ? Self.insertOrIgnoreSQL : Self.insertSQL), arena: arena)
      insert.bind(seq)
      prepared.record.bind(into: &insert, includingId: true)
      insert.bind(now)
      insert.bind(now)
      try insert.execute()
      guard db.changesCount > 0 else { return false }
      inserted.append(db.lastInsertedRowID)
      try ArchiveStore.storeParameters(
        of: prepared.record, parameters: prepared.parameters, in: db, replacing: false, arena: arena)
      return true
    }

    // Built once: the statement cache is keyed by the SQL text, and building it cost each task a copy and a hash.
    private static let insertSQL = TaskRecord.insertSQL + " ON CONFLICT(id) DO NOTHING"
    private static let insertOrIgnoreSQL = TaskRecord.insertSQL.replacingOccurrences(
      of: "INSERT INTO", with: "INSERT OR IGNORE INTO")
    private static let updateSQL = TaskRecord.updateSQL + ", last_fetched = ? WHERE id = ?"
    private static let rekeyingUpdateSQL =
      TaskRecord.updateSQL.replacingOccurrences(of: "SET ", with: "SET seq = ?, ") + ", last_fetched = ? WHERE id = ?"
  }
}
