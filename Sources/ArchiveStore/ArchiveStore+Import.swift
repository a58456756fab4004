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
  public func importTasks(
    from reader: JSONRecordReader, onFailure: (ImportReport.Failure) -> Void = { _ in }
  ) throws(StoreError) -> ImportReport {
    var report = ImportReport()
    var batch: [(record: Int, task: GatewayTask)] = []
    func fail(_ record: Int, line: Int, _ reason: String) {
      report.failed += 1
      onFailure(ImportReport.Failure(record: record, line: line, reason: reason))
    }
    while true {
      let next: JSONRecordReader.Record?
      do {
        next = try reader.next()
      } catch {
        throw StoreError.unreadableImport(path: "the input", reason: error.reason)
      }
      guard let record = next else { break }
      switch record.result {
      case .failure(let failure):
        fail(record.number, line: failure.line, failure.reason)
      case .success(let (value, raw)):
        do throws(GatewayError) {
          let task = try GatewayTask(json: value, raw: raw)
          guard TaskID.isValid(task.id) else { throw GatewayError.invalidTaskID(task.id) }
          batch.append((record.number, task))
        } catch {
          fail(record.number, line: record.line, error.description)
        }
      }
      if batch.count >= Self.importBatchSize {
        try storeImported(batch, into: &report)
        batch.removeAll(keepingCapacity: true)
      }
    }
    try storeImported(batch, into: &report)
    return report
  }

  /// Stores one batch of imported tasks in one transaction.
  private func storeImported(_ batch: [(record: Int, task: GatewayTask)], into report: inout ImportReport)
    throws(StoreError)
  {
    guard !batch.isEmpty else { return }
    // In submit-time order, which is `seq` order: FTS5 flushes its pending terms whenever a rowid goes backwards.
    let tasks = batch.sorted { ($0.task.submitTime ?? 0, $0.record) < ($1.task.submitTime ?? 0, $1.record) }.map(\.task)
    let now = Self.nowMilliseconds()
    let outcomes = try write { db in
      let outcomes = try Self.storeBatch(tasks, in: db, now: now)
      let remember = try db.cachedStatement(
        sql: "INSERT OR IGNORE INTO known_tasks (id, source, added_at) VALUES (?, 'import', ?)")
      for task in tasks { try remember.execute(arguments: [task.id, now]) }
      return outcomes
    }
    for outcome in outcomes {
      switch outcome {
      case .inserted: report.inserted += 1
      case .updated: report.updated += 1
      case .unchanged, .keptFinished: report.unchanged += 1
      }
    }
  }
}
