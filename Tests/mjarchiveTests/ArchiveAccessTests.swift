import Foundation
import MidjourneyAPI
import TestSupport
import Testing

/// Who may open the archive and how: readers never write or wait, new archives are private.
@Suite struct ArchiveAccessTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-access-\(UUID().uuidString)")
  var archive: URL { root.appendingPathComponent("archive") }
  var environment: [String: String] { ["MJARCHIVE_DIR": archive.path] }

  static let sample = SharedFixtures.sample("task-imagine-success.json")

  private func makeArchive(launcher: [String] = []) async throws {
    let outcome = try await CommandRunner.run(
      ["import", Self.sample.path], environment: environment, launcher: launcher)
    #expect(outcome.status == 0, "\(outcome.stderr)")
  }

  private func mode(_ url: URL) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
  }

  /// Regression: the folder and database were made world-readable under the usual umask.
  @Test func aNewArchiveIsPrivateWhateverTheUmask() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await makeArchive(launcher: ["/bin/sh", "-c", "umask 000; exec \"$0\" \"$@\""])
    #expect(try mode(archive) == 0o700)
    for name in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
      #expect(try mode(archive.appendingPathComponent(name)) == 0o600, "\(name)")
    }
  }

  /// Regression: `search`, `show` and `stats` failed with "attempt to write a readonly database".
  @Test func readersWorkOnAnArchiveTheyCannotWrite() async throws {
    defer {
      chmod(archive.path, 0o700)
      try? FileManager.default.removeItem(at: root)
    }
    try await makeArchive()
    let (launcher, binary) = try makeReadOnly()
    let before = try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted()
    for arguments in [["search", "cat"], ["show", "1320098173412546"], ["lineage", "1320098173412546"], ["stats"]] {
      let outcome = try await CommandRunner.run(
        arguments, environment: environment, launcher: launcher, binary: binary, folder: root)
      #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
      #expect(outcome.stdout.contains("1320098173412546") || arguments == ["stats"])
    }
    let track = try await CommandRunner.run(
      ["track", "5"], environment: environment, launcher: launcher, binary: binary, folder: root)
    #expect(track.status == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted() == before)
  }

  /// Makes the archive read-only for the user the readers run as (nobody, when the tests run as root).
  ///
  /// - Returns: The launcher and binary that run a command as that user, from `root`, a folder it may read (the
  ///   tests' own working folder may be private to the user running them).
  private func makeReadOnly() throws -> (launcher: [String], binary: URL) {
    // Root ignores permissions, so run the readers as nobody on an archive nobody owns read-only.
    var launcher: [String] = []
    var binary = CommandRunner.binary
    if getuid() == 0 {
      binary = root.appendingPathComponent("mjarchive")
      try CommandRunner.copyBinary(to: binary)
      chmod(root.path, 0o755)
      for name in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
        chown(archive.appendingPathComponent(name).path, 65534, 65534)
      }
      chown(archive.path, 65534, 65534)
      launcher = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }
    for name in try FileManager.default.contentsOfDirectory(atPath: archive.path) {
      chmod(archive.appendingPathComponent(name).path, 0o400)
    }
    chmod(archive.path, 0o500)
    return (launcher, binary)
  }

  /// An archive made by an older build is upgraded by the first reader that may write it, and
  /// otherwise refused with what to do, unchanged.
  @Test func aReaderUpgradesAnOlderArchiveOrSaysWhoCan() async throws {
    defer {
      chmod(archive.path, 0o700)
      try? FileManager.default.removeItem(at: root)
    }
    try await makeArchive()
    let database = archive.appendingPathComponent("archive.sqlite").path
    // Back to schema 2's shape: no change counter (12), no image_hashes (11), no image_seeds (10), images_sha256 on one column (9), no task_overview (8), buttons as a table (5), no kept counts (4), no lineage tables or trace columns (3),
    // edges as version 1 made them.
    var downgrade = """
      DROP TABLE image_hashes; DROP TABLE image_seeds;
      DROP INDEX images_sha256; CREATE INDEX images_sha256 ON images(sha256);
      DROP VIEW task_overview;
      CREATE TABLE buttons_table AS SELECT * FROM buttons; DROP VIEW buttons; ALTER TABLE buttons_table RENAME TO buttons;
      DROP TABLE archive_counts;

      """
    for trigger in [
      "tasks_count_delete", "tasks_count_update", "known_count_insert", "known_count_delete", "images_count_insert",
      "images_count_delete", "images_count_update", "tasks_changes_update", "tasks_changes_delete",
      "images_changes_insert", "images_changes_update", "images_changes_delete", "edges_changes_update",
      "edges_changes_delete",
    ] {
      downgrade += "DROP TRIGGER \(trigger);\n"
    }
    downgrade += "DROP INDEX tasks_parent_message_id; DROP INDEX tasks_parent_hash; DROP INDEX tasks_job_hash;\n"
    for column in ["parent_message_id", "parent_hash", "job_hash", "lineage_kind", "lineage_index"] {
      downgrade += "ALTER TABLE tasks DROP COLUMN \(column);\n"
    }
    for column in ["lineage_kind", "lineage_index"] { downgrade += "ALTER TABLE known_tasks DROP COLUMN \(column);\n" }
    downgrade += """
      CREATE INDEX tasks_message_hash ON tasks(message_hash); CREATE INDEX tasks_parent_id ON tasks(parent_id);
      DROP TABLE lineage_rejected; DROP TABLE lineage_problems; DROP TABLE edges; DROP TABLE task_history;
      DROP TABLE settings;
      CREATE TABLE edges (child_id TEXT NOT NULL, parent_id TEXT NOT NULL, custom_id TEXT, evidence TEXT NOT NULL,
        PRIMARY KEY (child_id, parent_id)) WITHOUT ROWID;
      CREATE INDEX edges_parent ON edges(parent_id);
      PRAGMA user_version = 2;
      """
    try run("/usr/bin/sqlite3", [database], input: Data(downgrade.utf8))
    let (launcher, binary) = try makeReadOnly()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: database))
    let refused = try await CommandRunner.run(
      ["lineage", "1320098173412546"], environment: environment, launcher: launcher, binary: binary, folder: root)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("made by an older mjarchive (schema 2, now "))
    #expect(refused.stderr.contains("run `mjarchive reindex` as its owner"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytes)
    chmod(archive.path, 0o700)
    chmod(database, 0o600)
    let upgraded = try await CommandRunner.run(["lineage", "1320098173412546"], environment: environment)
    #expect(upgraded.status == 0, "\(upgraded.stderr)")
    #expect(try run("/usr/bin/sqlite3", [database, "PRAGMA user_version;"]) != "2\n")
  }

  /// Regression: `search` waited 10 s and failed "database is locked" while another process wrote.
  @Test func searchDoesNotWaitForAWriter() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await makeArchive()
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    shell.arguments = [archive.appendingPathComponent("archive.sqlite").path]
    let input = Pipe()
    let output = Pipe()
    shell.standardInput = input
    shell.standardOutput = output
    try shell.run()
    defer {
      try? input.fileHandleForWriting.close()
      shell.waitUntilExit()
    }
    input.fileHandleForWriting.write(
      Data(
        "BEGIN IMMEDIATE;\nINSERT INTO known_tasks (id, source, added_at) VALUES ('99', 'track', 1);\nSELECT 'holding';\n"
          .utf8))
    // Wait until the shell holds the write lock.
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("holding") {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen += chunk
    }
    #expect(String(decoding: seen, as: UTF8.self).contains("holding"))
    let search = try await CommandRunner.run(["search", "cat"], environment: environment)
    #expect(search.status == 0, "\(search.stderr)")
    #expect(search.stdout.contains("1320098173412546"))
  }

  /// Regression: a reader bumped the schema cookie of an archive it then refused as too new.
  @Test func aReaderLeavesANewerArchiveUntouched() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try await makeArchive()
    let database = archive.appendingPathComponent("archive.sqlite").path
    try run("/usr/bin/sqlite3", [database, "PRAGMA user_version = 99;"])
    let cookie = try run("/usr/bin/sqlite3", [database, "PRAGMA schema_version;"])
    let bytes = try Data(contentsOf: URL(fileURLWithPath: database))
    for command in ["search", "show", "stats"] {
      let arguments = command == "show" ? [command, "1320098173412546"] : [command]
      let outcome = try await CommandRunner.run(arguments, environment: environment)
      #expect(outcome.status == 1)
      #expect(outcome.stderr.contains("newer mjarchive (schema 99"))
    }
    #expect(try run("/usr/bin/sqlite3", [database, "PRAGMA schema_version;"]) == cookie)
    #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytes)
  }

  @Test func theArchiveOptionMustNameAFolder() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let empty = try await CommandRunner.run(["search", "cat", "--archive", ""])
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("--archive needs a folder path"))
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let file = root.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    for command in [["search", "cat"], ["track", "1"]] {
      let outcome = try await CommandRunner.run(command + ["--archive", file.path])
      #expect(outcome.status == 1)
      #expect(outcome.stderr.contains("\(file.path): it is a file, not a folder"))
    }
  }
}
