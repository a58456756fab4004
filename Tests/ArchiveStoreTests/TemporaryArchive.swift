import Foundation
import GRDB
import MidjourneyAPI
import TestSupport

@testable import ArchiveStore

/// A fresh archive in a temporary folder, removed when the test ends.
final class TemporaryArchive {
  let directory: URL
  let store: ArchiveStore

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-test-\(UUID().uuidString)")
    store = try ArchiveStore(directory: directory)
  }

  deinit {
    try? FileManager.default.removeItem(at: directory)
  }

  /// A read-only connection for checking what the store wrote.
  func rows(_ sql: String) throws -> [Row] {
    let queue = try DatabaseQueue(path: directory.appendingPathComponent("archive.sqlite").path)
    return try queue.read { try Row.fetchAll($0, sql: sql) }
  }

  /// Asks FTS5 to compare its index with the tasks table; throws when they disagree.
  func checkIndexIntegrity() throws {
    let queue = try DatabaseQueue(path: directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { try $0.execute(sql: "INSERT INTO tasks_fts(tasks_fts, rank) VALUES ('integrity-check', 1)") }
    try queue.close()
  }

  /// A folder holding an empty archive as an older mjarchive made it: the schema version 1 shipped
  /// (`Fixtures/schema-v1.sql`) plus the shipped migrations up to `version`, run by the sqlite3 shell.
  ///
  /// - Returns: The folder and its database's path; the caller removes the folder.
  static func olderArchive(version: Int) throws -> (folder: URL, database: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-v\(version)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let database = folder.appendingPathComponent("archive.sqlite").path
    try run("/usr/bin/sqlite3", [database], input: try Data(contentsOf: fixture("schema-v1.sql")))
    for migration in SchemaMigration.shipped where migration.version <= version {
      try run("/usr/bin/sqlite3", [database], input: Data(migration.sql.utf8))
    }
    return (folder, database)
  }

  /// A gateway sample (shared by the test targets) as a task.
  static func sample(_ name: String) throws -> GatewayTask {
    try GatewayTask(raw: try SharedFixtures.sampleData(name))
  }

  /// A fixture of the store's own: an archive an older build made, the schema it shipped.
  static func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
  }

  /// A task made from the imagine sample with another id, prompt and submit time.
  static func task(
    id: String, prompt: String, action: String = "IMAGINE", status: String = "SUCCESS",
    submitTime: Int64? = 1_741_531_578_038
  ) throws -> GatewayTask {
    var object = try require(try sample("task-imagine-success.json").json.objectValue)
    object["id"] = .string(id)
    object["prompt"] = .string(prompt)
    object["promptEn"] = .string(prompt)
    object["action"] = .string(action)
    object["status"] = .string(status)
    object["submitTime"] = .integer(submitTime ?? 0)  // 0: not known yet, as gateways send it
    var properties = object["properties"]?.objectValue ?? JSONObject()
    properties["finalPrompt"] = .string(prompt)
    properties["messageHash"] = .string("hash-\(id)")
    properties["messageId"] = .string("m\(id)")
    object["properties"] = .object(properties)
    let value = JSONValue.object(object)
    return try GatewayTask(json: value, raw: Data(value.serialized().utf8))
  }
}

/// `#require` outside a test: unwraps or throws.
private func require<T>(_ value: T?) throws -> T {
  guard let value else { throw CocoaError(.coderValueNotFound) }
  return value
}
