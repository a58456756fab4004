import Foundation
import GRDB
import MidjourneyAPI

/// Importing tasks exported by other tools.
extension ArchiveStore {
  /// Largest import file read.
  public static let maximumImportBytes = 2 << 30

  /// Imports a file holding a JSON array of tasks, JSON lines, or task objects one after another.
  ///
  /// Good records are stored even when others are broken; each bad one is reported with its position.
  ///
  /// - Throws: `StoreError.unreadableImport` when the file cannot be read at all.
  public func importTasks(from path: String) throws(StoreError) -> ImportReport {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? Int, size > Self.maximumImportBytes {
      throw StoreError.unreadableImport(path: path, reason: "it is larger than 2 GB")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw StoreError.unreadableImport(path: path, reason: "it cannot be read")
    }
    return try importTasks(data: data)
  }

  /// Imports tasks from bytes; see `importTasks(from:)`.
  public func importTasks(data: Data) throws(StoreError) -> ImportReport {
    var report = ImportReport()
    var tasks: [(record: Int, line: Int, task: GatewayTask)] = []
    for (offset, item) in Self.records(in: data).enumerated() {
      let record = offset + 1
      switch item.result {
      case .failure(let error):
        report.failures.append(.init(record: record, line: item.line, reason: "invalid JSON: \(error)"))
      case .success(let (value, raw)):
        do throws(GatewayError) {
          let task = try GatewayTask(json: value, raw: raw)
          guard TaskID.isValid(task.id) else { throw GatewayError.invalidTaskID(task.id) }
          tasks.append((record, item.line, task))
        } catch {
          report.failures.append(.init(record: record, line: item.line, reason: error.description))
        }
      }
    }
    // Oldest first, so the archive's order (which `--sort newest` follows) matches submit times.
    tasks.sort { ($0.task.submitTime ?? 0, $0.record) < ($1.task.submitTime ?? 0, $1.record) }
    let now = Self.nowMilliseconds()
    let outcomes = try write { db in
      let outcomes = try Self.storeBatch(tasks.map(\.task), in: db, now: now)
      let remember = try db.cachedStatement(sql: "INSERT OR IGNORE INTO known_tasks (id, source, added_at) VALUES (?, 'import', ?)")
      for item in tasks { try remember.execute(arguments: [item.task.id, now]) }
      return outcomes
    }
    for outcome in outcomes {
      switch outcome {
      case .inserted: report.inserted += 1
      case .updated: report.updated += 1
      case .unchanged, .keptFinished: report.unchanged += 1
      }
    }
    report.failures.sort { $0.record < $1.record }
    return report
  }

  /// The records of an export: the elements of a top-level array, or a sequence of values.
  private static func records(in data: Data) -> [JSONParser.SequenceItem] {
    let first = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    guard first == UInt8(ascii: "[") else { return JSONParser.parseSequence(data) }
    do {
      return try JSONParser.parseArrayElements(data).map { JSONParser.SequenceItem(line: 1, result: .success($0)) }
    } catch {
      return [JSONParser.SequenceItem(line: 1, result: .failure(error))]
    }
  }
}
