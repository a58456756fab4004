import Foundation
import GRDB
import MidjourneyAPI

/// Storing tasks and the ids mjarchive knows of: the entry of the write path.
///
/// Which thread does what, and why (figures from bench/RESULTS.md and bench/HISTORY.md, 1M tasks, 2 cores):
/// - The caller's thread is the one writer: every write goes through `write` (GRDB's serialized writer
///   connection), one transaction a batch.
/// - `store([tasks])`: `ChunkedPreparation` derives rows (`PreparedTask`) chunk by chunk on a thread of its own
///   while `BatchWrite` stores the chunks before. Deriving was 8 of 76 s, all of it before the writer began;
///   a thread of its own, not a shared pool, because the writer waits for it and a pool's threads could all be
///   waiting for that writer.
/// - `import`: `ImportPipe` reads, parses and derives on a second thread, at most two batches ahead, so reading
///   and writing each keep one core busy (an import is bound by both).
/// - `BackgroundCheckpointer`: during bulk writes, PASSIVE checkpoints on a second connection and thread.
///   SQLite's automatic checkpoint ran inside the committing writer and cost a tenth of its time.
/// - New rows reach FTS5 in one `INSERT … SELECT` per batch, not by a per-row trigger: FTS5 flushes its pending
///   terms at every statement savepoint, so the trigger cost ~40% of ingest.
/// - Hot inserts are bound through SQLite's C API (`RawBindings`) from a reused `BindingArena`: SQLite's own
///   copies of each text and blob were some fifty mallocs and frees a task.
extension ArchiveStore {
  /// What storing one task did.
  public enum StoreOutcome: Sendable, Equatable {
    /// A new task.
    case inserted
    /// The task changed and was updated.
    case updated
    /// The same bytes as before: only `last_fetched` moved.
    case unchanged
    /// An unfinished state arrived for a finished task and was not stored (only `last_fetched` moved).
    case keptFinished
  }

  /// Stores a task as received.
  ///
  /// Idempotent: storing the same bytes again changes nothing but `last_fetched`; a finished task is
  /// never overwritten by an unfinished state.
  ///
  /// - Throws: `StoreError` when the id is unusable or the database fails.
  @discardableResult
  public func store(_ task: GatewayTask) throws(StoreError) -> StoreOutcome {
    try write { db in try Self.storeBatch([task], in: db, now: Self.nowMilliseconds())[0] }
  }

  /// Stores many tasks in one transaction.
  public func store(_ tasks: [GatewayTask]) throws(StoreError) -> [StoreOutcome] {
    // Rows and labels are derived on another thread while the writer stores the chunks derived
    // before, so the writer only runs SQL and waits for no more than the first chunk.
    let preparation = ChunkedPreparation(tasks, chunkSize: Self.preparedChunkSize)
    defer { preparation.finish() }
    let now = Self.nowMilliseconds()
    let outcomes = try write { db in
      var batch = BatchWrite(now: now)
      for index in 0..<preparation.chunkCount {
        try batch.storeRows(of: preparation.chunk(index), in: db)
      }
      let (prepared, labels) = preparation.whole()
      return try batch.finish(prepared, labels: labels, in: db)
    }
    checkpointInBackground(afterStoring: tasks.count)
    return outcomes
  }

  /// Tasks derived at a time by `store`'s preparing thread: the writer waits for the first chunk only.
  static let preparedChunkSize = 500

  /// Batches at least this large are bulk work: their checkpoints move to a background thread.
  static let bulkBatchSize = 1_000

  /// The log length (pages) at which the writer still checkpoints by itself once a background
  /// checkpointer runs: reached only if that falls behind.
  static let bulkAutocheckpointPages = 32_768

  /// Bulk tasks stored between two background checkpoints.
  ///
  /// Each checkpoint copies every page written since the last one; the index and full-text pages a
  /// transaction touches are mostly touched again by the next, so copying two import transactions
  /// at once (a log of 100–200 MB) copies them once instead of twice.
  static let bulkCheckpointTasks = 16_000

  /// After a bulk batch of `count` tasks, asks the background checkpointer (started on first use) to
  /// copy the commits into the database once `bulkCheckpointTasks` have been stored; smaller batches
  /// leave checkpoints to the writer.
  ///
  /// Where a second connection cannot be opened, the writer goes on checkpointing by itself.
  func checkpointInBackground(afterStoring count: Int) {
    guard count >= Self.bulkBatchSize else { return }
    checkpointer.withLock { checkpointer in
      if checkpointer == nil, let started = try? BackgroundCheckpointer(path: databaseURL.path),
        (try? database.writeWithoutTransaction({ db in
          try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.bulkAutocheckpointPages)")
        })) != nil
      {
        started.start()
        checkpointer = started
      }
      checkpointer?.request(afterStoring: count, every: Self.bulkCheckpointTasks)
    }
  }

  /// Stores tasks, indexes the new ones in one statement and derives their lineage.
  ///
  /// New rows reach `tasks_fts` here rather than through a per-row trigger: FTS5 flushes its
  /// pending terms at every statement savepoint, so one indexing statement per batch instead of
  /// one per row is several times faster. Updates and deletes keep their triggers.
  static func storeBatch(_ tasks: [GatewayTask], in db: Database, now: Int64) throws -> [StoreOutcome] {
    let prepared = tasks.map(PreparedTask.init)
    var batch = BatchWrite(now: now)
    try batch.storeRows(of: prepared, in: db)
    return try batch.finish(prepared, labels: PressedButton.labels(in: prepared), in: db)
  }

  /// Adds freshly inserted rows (by `seq`) to the full-text index, in one statement.
  ///
  /// FTS5 writes its pending terms out as a new segment at each statement, and merges segments as
  /// they pile up: one statement for a 10,000-task batch instead of one per 500 rows indexed 1M tasks
  /// in 8 s of CPU instead of 9.5 (bench/RESULTS.md).
  static func index(_ seqs: [Int64], in db: Database) throws {
    guard !seqs.isEmpty else { return }
    var list = RawBindings(try db.cachedStatement(sql: indexSQL))
    list.bind("[" + seqs.map(String.init).joined(separator: ",") + "]")
    try list.execute()
  }

  private static let indexSQL = """
    INSERT INTO tasks_fts(rowid, prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms)
    SELECT seq, prompt, distinct_prompt_en, distinct_final_prompt, action, description, cjk_terms
    FROM tasks WHERE seq IN (SELECT value FROM json_each(?))
    """

  /// How many `seq` values one millisecond holds.
  static let sequenceShift: Int64 = 14

  /// The `seq` (FTS5's rowid) for a task made at `submitTime`.
  ///
  /// The time in milliseconds shifted left by 14 bits, plus a counter for tasks of the same
  /// millisecond. Newest-first search follows
  /// `seq`, so it is "newest made first" however late a task was archived, and still streams from
  /// the index. A task with no submit time yet is keyed by when it was first stored.
  ///
  /// - Returns: nil when 16,384 tasks share the millisecond (SQLite then picks the next free rowid).
  static func sequence(madeAt submitTime: Int64?, now: Int64, in db: Database) throws -> Int64? {
    let base = firstSequence(madeAt: submitTime, now: now)
    let last = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT max(seq) FROM tasks WHERE seq BETWEEN ? AND ?"),
      arguments: [base, base + (1 << sequenceShift) - 1])
    guard let last else { return base }
    return last < base + (1 << sequenceShift) - 1 ? last + 1 : nil
  }

  /// The first `seq` of the millisecond a task was made in (see `sequence(madeAt:now:in:)`).
  static func firstSequence(madeAt submitTime: Int64?, now: Int64) -> Int64 {
    min(max((submitTime ?? 0) > 0 ? submitTime ?? now : now, 0), Int64.max >> sequenceShift - 1) << sequenceShift
  }

  /// Writes the parameters parsed from the task's prompt; `replacing` overwrites the row already there.
  ///
  /// Bound through SQLite's C API (`RawBindings`): GRDB's per-statement bookkeeping outweighs SQLite's
  /// own work here. The buttons are not written: the `buttons` view reads them from the raw JSON.
  static func storeParameters(
    of record: TaskRecord, parameters: PromptParameters? = nil, in db: Database, replacing: Bool,
    arena: BindingArena? = nil
  ) throws {
    let parameters = parameters ?? PromptParameters(parsing: record.parameterSource)
    var row = RawBindings(
      try db.cachedStatement(sql: replacing ? replaceParametersSQL : insertParametersSQL), arena: arena)
    // One call a value (see `TaskRecord.bind`).
    row.bind(record.id)
    row.bind(parameters.aspectRatio)
    row.bind(parameters.version)
    row.bind(parameters.niji)
    row.bind(parameters.stylize)
    row.bind(parameters.chaos)
    row.bind(parameters.weird)
    row.bind(parameters.quality)
    row.bind(parameters.seed)
    row.bind(parameters.sref)
    row.bind(parameters.styleWeight)
    row.bind(parameters.cref)
    row.bind(parameters.characterWeight)
    row.bind(parameters.imageWeight)
    row.bind(parameters.no)
    row.bind(parameters.style)
    row.bind(parameters.tile)
    row.bind(parameters.flags.joined(separator: " "))
    row.bind(parameters.imagePromptsJSON)
    row.bind(parameters.otherJSON)
    try row.execute()
  }

  // Built once: the statement cache is keyed by the SQL text, and building it cost each task a copy and a hash.
  private static let insertParametersSQL = """
    INSERT INTO task_parameters (task_id, aspect_ratio, version, niji, stylize, chaos, weird, quality,
      seed, sref, style_weight, cref, character_weight, image_weight, no, style, tile, flags, image_prompts, other)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
  private static let replaceParametersSQL = insertParametersSQL.replacingOccurrences(
    of: "INSERT INTO", with: "INSERT OR REPLACE INTO")

  /// Remembers task ids to fetch later; ids already known keep their first source.
  ///
  /// - Returns: How many ids were new.
  @discardableResult
  public func track(_ ids: [String], source: String = "track") throws(StoreError) -> Int {
    for id in ids where !TaskID.isValid(id) {
      throw StoreError.invalidFilter(GatewayError.invalidTaskID(id).description)
    }
    let now = Self.nowMilliseconds()
    return try write { db in
      var added = 0
      for id in ids {
        try db.execute(
          sql: "INSERT OR IGNORE INTO known_tasks (id, source, added_at) VALUES (?, ?, ?)",
          arguments: [id, source, now])
        added += db.changesCount
      }
      return added
    }
  }

  /// Records a task this program submitted, with the exact parent and button for actions.
  public func recordSubmission(taskId: String, parentId: String?, customId: String?, response: Data) throws(StoreError)
  {
    let now = Self.nowMilliseconds()
    try write { db in
      try Self.rememberSubmitted(
        taskId: taskId, parentId: parentId, customId: customId, response: response, in: db, now: now)
    }
  }

  /// Adds a submitted task to `known_tasks`, and for an action the exact edge to its parent.
  static func rememberSubmitted(
    taskId: String, parentId: String?, customId: String?, response: Data?, in db: Database, now: Int64
  ) throws {
    let step = customId.flatMap(LineageStep.init(customId:))
    try db.execute(
      sql: """
        INSERT INTO known_tasks (id, source, parent_id, custom_id, submit_response, added_at, lineage_kind, lineage_index)
        VALUES (?, 'submit', ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET source = 'submit', parent_id = coalesce(excluded.parent_id, parent_id),
          custom_id = coalesce(excluded.custom_id, custom_id), submit_response = coalesce(excluded.submit_response, submit_response),
          lineage_kind = coalesce(excluded.lineage_kind, lineage_kind),
          lineage_index = coalesce(excluded.lineage_index, lineage_index)
        """,
      arguments: [taskId, parentId, customId, response, now, step?.kind, step?.index])
    if parentId != nil {
      try LineageDerivation.recordSubmitted(childId: taskId, in: db)
    }
  }
}
