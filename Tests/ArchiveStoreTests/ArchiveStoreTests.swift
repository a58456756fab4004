import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// Opening an archive: a new one, one that is not ours, one too new, none.
@Suite struct ArchiveStoreTests {
  @Test func aNewArchiveIsExactlyWhatSchemaSQLMakes() throws {
    let archive = try TemporaryArchive()
    let fresh = archive.directory.appendingPathComponent("fresh.sqlite")
    try run("/usr/bin/sqlite3", [fresh.path], input: try Data(contentsOf: SchemaDump.schemaFile))
    let ours = try SchemaDump(database: archive.directory.appendingPathComponent("archive.sqlite").path)
    #expect(ours == (try SchemaDump(database: fresh.path)))
    #expect(ours.version == SchemaMigrator.currentVersion)
    #expect(ours.objects.contains { $0.hasPrefix("table tasks_fts CREATE VIRTUAL TABLE tasks_fts USING fts5") })
    // What the new archive counts from the start, as a migrated one does.
    #expect(
      try archive.rows("SELECT kind FROM archive_counts ORDER BY kind").map { $0[0] as String } == [
        "changes", "image_bytes", "unfetched", "without_images",
      ])
    #expect(try archive.rows("PRAGMA journal_mode").first?[0] == "wal")
    // A new archive is made with 16 KB pages (a 4 KB page held one task's row); sqlite3's own default is 4 KB.
    #expect(try archive.rows("PRAGMA page_size").first?[0] == ArchiveStore.pageSize)
    #expect(try run("/usr/bin/sqlite3", [fresh.path, "PRAGMA page_size"]) == "4096\n")
  }

  @Test func aFileThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("archive.sqlite")
    let garbage = Data("<html>this is not a database</html>".utf8)
    try garbage.write(to: file)
    let error = #expect(throws: StoreError.self) { try ArchiveStore(directory: directory) }
    #expect(error == .notAnArchive(path: file.path))
    #expect(try Data(contentsOf: file) == garbage)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["archive.sqlite"])
  }

  @Test func anArchiveFromANewerVersionIsRefused() throws {
    let archive = try TemporaryArchive()
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { try $0.execute(sql: "PRAGMA user_version = 99") }
    try queue.close()
    let error = #expect(throws: StoreError.self) { try ArchiveStore(directory: archive.directory) }
    #expect(error?.description.contains("newer mjarchive (schema 99") == true)
  }

  @Test func openingWithoutCreateNeedsAnArchive() {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-none-\(UUID().uuidString)")
    #expect(throws: StoreError.self) { try ArchiveStore(directory: missing, create: false) }
    #expect(!FileManager.default.fileExists(atPath: missing.path))
  }
}
