import Foundation
import TestSupport
import Testing

@testable import ArchiveStore

/// Every older schema, brought up by the frozen migrations, is exactly the schema a new archive gets.
@Suite struct SchemaUpgradeTests {
  @Test(arguments: 1...6)
  func anArchiveOfAnOlderVersionBecomesExactlySchemaSQL(version: Int) throws {
    #expect(version < SchemaMigrator.currentVersion)
    let (folder, database) = try TemporaryArchive.olderArchive(version: version)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try SchemaDump(database: database).version == version)
    _ = try ArchiveStore(directory: folder, create: false)

    let fresh = folder.appendingPathComponent("fresh.sqlite").path
    try run("/usr/bin/sqlite3", [fresh], input: try Data(contentsOf: SchemaDump.schemaFile))
    let upgraded = try SchemaDump(database: database)
    let expected = try SchemaDump(database: fresh)
    #expect(upgraded == expected, "\(difference(upgraded, expected))")
  }

  /// The archive a schema-1 build really wrote, with its rows, ends with the same schema too.
  @Test func theSchemaOneFixtureBecomesExactlySchemaSQL() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-v1-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let database = folder.appendingPathComponent("archive.sqlite")
    try FileManager.default.copyItem(at: TemporaryArchive.fixture("archive-v1/archive.sqlite"), to: database)
    _ = try ArchiveStore(directory: folder, create: false)
    let fresh = folder.appendingPathComponent("fresh.sqlite").path
    try run("/usr/bin/sqlite3", [fresh], input: try Data(contentsOf: SchemaDump.schemaFile))
    let upgraded = try SchemaDump(database: database.path)
    let expected = try SchemaDump(database: fresh)
    #expect(upgraded == expected, "\(difference(upgraded, expected))")
  }

  /// The shipped migrations are numbered 2, 3, … without a gap, each ending on its own version.
  @Test func theMigrationsAreNumberedInOrder() throws {
    for (offset, migration) in SchemaMigration.shipped.enumerated() {
      #expect(migration.version == offset + 2)
      #expect(migration.sql.contains("PRAGMA user_version = \(migration.version);"))
    }
    #expect(
      SchemaDump.normalised(try String(contentsOf: SchemaDump.schemaFile, encoding: .utf8)).hasSuffix(
        "PRAGMA user_version = \(SchemaMigrator.currentVersion);"))
  }

  /// The lines one dump has and the other lacks, for a readable failure.
  private func difference(_ upgraded: SchemaDump, _ expected: SchemaDump) -> String {
    let extra = upgraded.objects.filter { !expected.objects.contains($0) }.map { "+ \($0)" }
    let missing = expected.objects.filter { !upgraded.objects.contains($0) }.map { "- \($0)" }
    return (["upgraded (+) vs schema.sql (-):"] + extra + missing).joined(separator: "\n")
  }
}
