import Foundation
import GRDB
import MidjourneyAPI

/// Importing tasks exported by other tools.
extension ArchiveStore {
  /// Tasks read, parsed and handed to the writer at a time while importing: memory stays bounded
  /// whatever the input's size.
  static let importBatchSize = 2_000

  /// Tasks stored per transaction while importing.
  ///
  /// Each commit writes every page its transaction touched to the log, and a random key (a job hash)
  /// touches a page of its index almost per task: at 1M tasks a 2,000-task commit wrote 27 MB, a
  /// third of it rows, and the log took 3 times the archive's size. Four batches a commit write
  /// such pages once instead of four times, while memory holds only the batches in flight.
  static let importTransactionTasks = 8_000

  /// Imports a file, or standard input for `-`, holding a JSON array of tasks, JSON lines, or task objects.
  ///
  /// The input is streamed: pipes work, and memory stays bounded. Good records are stored even when others are broken; each bad one goes to `onFailure`.
  ///
  /// - Throws: `StoreError.unreadableImport` saying why the input cannot be read at all (missing,
  ///   a folder, not permitted, empty).
  public func importTasks(
    from path: String, onFailure: (ImportReport.Failure) -> Void = { _ in }
  ) throws(StoreError) -> ImportReport {
    let name = path == "-" ? "standard input" : path
    let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason: String
      switch errno {
      case ENOENT: reason = "there is no such file"
      case EACCES: reason = "permission denied"
      default: reason = String(cString: strerror(errno))
      }
      throw StoreError.unreadableImport(path: name, reason: reason)
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      throw StoreError.unreadableImport(path: name, reason: "it is a folder, not a file")
    }
    let reader = JSONRecordReader(fileDescriptor: descriptor)
    let report: ImportReport
    do {
      report = try importTasks(from: reader, onFailure: onFailure)
    } catch .unreadableImport(_, let reason) {
      throw StoreError.unreadableImport(path: name, reason: reason)
    }
    guard reader.sawContent else {
      throw StoreError.unreadableImport(path: name, reason: "it is empty: there is nothing to import")
    }
    return report
  }

  /// Imports tasks from bytes in memory; see `importTasks(from:onFailure:)`.
  public func importTasks(data: Data, onFailure: (ImportReport.Failure) -> Void = { _ in }) throws(StoreError)
    -> ImportReport
  {
    try importTasks(from: JSONRecordReader(data: data), onFailure: onFailure)
  }

  /// Imports every record `reader` gives, storing them in batches as they arrive.
  ///
  /// Two threads: this one stores batches while another reads, parses and derives the next ones
  /// (at most two batches ahead, so memory stays bounded). Parsing and deriving are half the work,
  /// so on two cores an import takes about the time of its writes. Several batches share one
  /// transaction (`importTransactionTasks`).
  public func importTasks(
    from reader: JSONRecordReader, onFailure: (ImportReport.Failure) -> Void = { _ in }
  ) throws(StoreError) -> ImportReport {
    let pipe = ImportPipe(reader: reader, batchSize: Self.importBatchSize)
    pipe.start()
    defer { pipe.finish() }
    var report = ImportReport()
    // Batches freed on another thread are all freed before this returns (LeakSanitizer saw one pending at exit).
    let releases = DispatchGroup()
    defer { releases.wait() }
    // The first batch of a transaction is waited for outside it; the rest only if already read, so a
    // slow input (a pipe) never holds the write lock while it waits.
    var next = pipe.next()
    while let first = next {
      // A failed transaction ends the import with its error, so its counts may go straight into `report`.
      let (stored, readError) = try write { db -> (Int, JSONRecordReader.ReadError?) in
        var (batch, stored) = (first, 0)
        var writes = BatchWrite(now: Self.nowMilliseconds())
        while true {
          for failure in batch.failures {
            report.failed += 1
            onFailure(failure)
          }
          try Self.storeImported(batch.tasks, labels: batch.labels, with: &writes, into: &report, in: db)
          stored += batch.tasks.count
          // Freeing a batch's parsed JSON trees took a tenth of the writer's time: another thread does it.
          DispatchQueue.global(qos: .utility).async(group: releases) { [batch] in withExtendedLifetime(batch) {} }
          // The tasks read before an input error are kept: the error ends the import after this commit.
          guard batch.error == nil, stored < Self.importTransactionTasks, let ready = pipe.next(waiting: false)
          else {
            // The transaction's new rows reach the full-text index in one statement (see `BatchWrite.finishBatch`).
            try writes.indexNewRows(in: db)
            return (stored, batch.error)
          }
          batch = ready
        }
      }
      checkpointInBackground(afterStoring: stored)
      if let readError { throw StoreError.unreadableImport(path: "the input", reason: readError.reason) }
      next = pipe.next()
    }
    return report
  }

  /// Stores one batch of imported tasks with the transaction's `writes`, counting what it did into `report`.
  private static func storeImported(
    _ tasks: [PreparedTask], labels: [PressedButton], with writes: inout BatchWrite,
    into report: inout ImportReport, in db: Database
  ) throws {
    guard !tasks.isEmpty else { return }
    try writes.storeRows(of: tasks, in: db)
    let outcomes = try writes.finishBatch(tasks, labels: labels, in: db)
    // One statement for the batch's ids: the per-row statement cost more than SQLite's inserts.
    var remember = RawBindings(
      try db.cachedStatement(
        sql: "INSERT OR IGNORE INTO known_tasks (id, source, added_at) SELECT value, 'import', ? FROM json_each(?)"))
    remember.bind(writes.now)
    // `storeRows` checked every id.
    remember.bind(LineageDerivation.Scope.jsonArray(tasks.map(\.task.id)))
    try remember.execute()
    for outcome in outcomes {
      switch outcome {
      case .inserted: report.inserted += 1
      case .updated: report.updated += 1
      case .unchanged, .keptFinished: report.unchanged += 1
      }
    }
  }
}
