import Foundation
import GRDB
import MidjourneyAPI

/// Importing tasks exported by other tools.
extension ArchiveStore {
  /// Tasks stored per transaction while importing: memory stays bounded whatever the input's size.
  static let importBatchSize = 2_000

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
  /// so on two cores an import takes about the time of its writes.
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
    while let batch = pipe.next() {
      for failure in batch.failures {
        report.failed += 1
        onFailure(failure)
      }
      if let error = batch.error { throw StoreError.unreadableImport(path: "the input", reason: error.reason) }
      try storeImported(batch.tasks, labels: batch.labels, into: &report)
      // Freeing a batch's parsed JSON trees took a tenth of the writer's time: another thread does it.
      DispatchQueue.global(qos: .utility).async(group: releases) { withExtendedLifetime(batch) {} }
    }
    return report
  }

  /// Stores one batch of imported tasks in one transaction.
  private func storeImported(_ tasks: [PreparedTask], labels: [PressedButton], into report: inout ImportReport)
    throws(StoreError)
  {
    guard !tasks.isEmpty else { return }
    let now = Self.nowMilliseconds()
    let outcomes = try write { db in
      let outcomes = try Self.storeBatch(prepared: tasks, labels: labels, in: db, now: now)
      let remember = try db.cachedStatement(
        sql: "INSERT OR IGNORE INTO known_tasks (id, source, added_at) VALUES (?, 'import', ?)")
      for index in tasks.indices {
        var row = RawBindings(remember)
        row.bind(tasks[index].task.id)
        row.bind(now)
        try row.execute()
      }
      return outcomes
    }
    checkpointInBackground(afterStoring: tasks.count)
    for outcome in outcomes {
      switch outcome {
      case .inserted: report.inserted += 1
      case .updated: report.updated += 1
      case .unchanged, .keptFinished: report.unchanged += 1
      }
    }
  }
}
