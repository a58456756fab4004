import ArchiveStore
import Foundation
import GRDB
import MidjourneyAPI
import Simulator
import Testing

@testable import Sync

/// `verify` and `verify --repair` on an archive synced from the simulator, damaged on purpose.
@Suite struct ArchiveVerifierTests {
  /// Flips one byte in the middle of a file.
  private func flipByte(_ url: URL) throws {
    var bytes = try Data(contentsOf: url)
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: url)
  }

  /// Changes the database behind the store's back, as another program or a failing disk might.
  private func execute(_ statements: [String], in store: ArchiveStore) throws {
    let queue = try DatabaseQueue(path: store.databaseURL.path)
    try queue.writeWithoutTransaction { db in
      for statement in statements { try db.execute(sql: statement) }
    }
    try queue.close()
  }

  private func file(_ records: [ImageRecord], _ taskId: String, _ kind: StoredFile.Kind, part: Int = 0) throws
    -> StoredFile
  {
    try #require(records.first { $0.taskId == taskId && $0.file.kind == kind && $0.file.part == part }?.file)
  }

  @Test func aFlippedByteDeletedFilesAndStraysAreFoundThenRepaired() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(2)  // two grids and an upscale of the first
      #expect(try await fixture.sync().failures.isEmpty)
      let verifier = ArchiveVerifier(store: fixture.store)
      let before = try verifier.verify()
      #expect(before.isClean, "\(before.problems)")
      // Per grid: original, 4 quadrants, 4 thumbnails; the upscale: original and thumbnail.
      #expect(before.rows == 20)
      #expect(before.searchIndexInStep == true)

      let root = fixture.store.directory
      let records = try fixture.store.imageRecords()
      let original = try file(records, ids[0], .original)
      let quadrant = try file(records, ids[1], .quadrant, part: 3)
      let thumbnail = try file(records, ids[2], .thumbnail)
      let quadrantBytes = try Data(contentsOf: root.appendingPathComponent(quadrant.path))
      try flipByte(root.appendingPathComponent(original.path))
      try FileManager.default.removeItem(at: root.appendingPathComponent(quadrant.path))
      try FileManager.default.removeItem(at: root.appendingPathComponent(thumbnail.path))
      try Data("not an image".utf8).write(to: root.appendingPathComponent("images/thumbs/stray.png"))
      try Data().write(to: root.appendingPathComponent("images/originals/.download-1.tmp"))

      let found = try verifier.verify()
      #expect(!found.isClean)
      #expect(
        Set(found.problems.map { "\($0.kind.rawValue) \($0.path) \($0.taskIds)" }) == [
          "damaged \(original.path) [\"\(ids[0])\"]", "missing \(quadrant.path) [\"\(ids[1])\"]",
          "missing \(thumbnail.path) [\"\(ids[2])\"]", "stray images/originals/.download-1.tmp []",
          "stray images/thumbs/stray.png []",
        ])
      #expect(found.problems.first { $0.kind == .damaged }?.detail.contains("SHA-256") == true)

      // The stored link has expired by now: repair fetches the task again first, so no request is wasted on it.
      fixture.gateway.clock.advance(by: 2 * 86_400)
      let repaired = try await SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
      ).repair(found)
      #expect(repaired.failures.isEmpty, "\(repaired.failures)")
      #expect(repaired.tasksRepaired == 3)
      #expect(repaired.imagesDownloaded == 1)
      #expect(repaired.requests == 2)
      #expect(repaired.straysRemoved == 2)
      #expect(repaired.keptDamaged.isEmpty)

      let after = try verifier.verify()
      #expect(after.isClean, "\(after.problems)")
      #expect(after.rows == 20)
      #expect(
        try Data(contentsOf: root.appendingPathComponent(original.path)) == (try await fixture.servedImage(ids[0])))
      // Quadrants are made again byte for byte from the same original.
      #expect(try Data(contentsOf: root.appendingPathComponent(quadrant.path)) == quadrantBytes)
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("images/damaged").path).isEmpty)
    }
  }

  @Test func aDamagedOriginalThatCannotBeDownloadedAgainIsKept() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let records = try fixture.store.imageRecords()
      let original = try file(records, ids[1], .original)
      let root = fixture.store.directory
      try flipByte(root.appendingPathComponent(original.path))
      let damaged = try Data(contentsOf: root.appendingPathComponent(original.path))
      let found = try ArchiveVerifier(store: fixture.store).verify()
      fixture.gateway.inject(.htmlError(status: 500), on: .image)
      let repaired = try await SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
      ).repair(found)
      #expect(repaired.failures.map(\.taskId) == [ids[1]])
      #expect(repaired.keptDamaged.count == 1)
      let kept = try #require(repaired.keptDamaged.first)
      #expect(kept.hasPrefix("images/damaged/\(ids[1])."))
      #expect(try Data(contentsOf: root.appendingPathComponent(kept)) == damaged)
      // The task now lacks its original, which verify says (it said nothing once its rows were gone) and the
      // next sync brings home; the kept copy goes with the next repair, its task's image being home.
      let after = try ArchiveVerifier(store: fixture.store).verify()
      #expect(
        Set(after.problems.map { "\($0.kind.rawValue) \($0.taskIds)" }) == [
          "no original [\"\(ids[1])\"]", "parked [\"\(ids[1])\"]",
        ])
      #expect(try fixture.store.imageWork(taskId: ids[1]).count == 1)
      #expect(try await fixture.sync().failures.isEmpty)
      #expect(
        try Data(contentsOf: root.appendingPathComponent(original.path)) == (try await fixture.servedImage(ids[1])))
      let tidied = try await SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
      ).repair(try ArchiveVerifier(store: fixture.store).verify())
      #expect(tidied.keptDamaged.isEmpty && tidied.failures.isEmpty)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
    }
  }

  @Test func anUnsafeRowALinkInPlaceOfAFileAndAnEmptiedSearchIndexAreRepaired() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let root = fixture.store.directory
      let records = try fixture.store.imageRecords()
      let linked = try file(records, ids[0], .quadrant, part: 2)
      try FileManager.default.removeItem(at: root.appendingPathComponent(linked.path))
      try FileManager.default.createSymbolicLink(
        atPath: root.appendingPathComponent(linked.path).path, withDestinationPath: "/etc/passwd")
      try execute(
        [
          "UPDATE images SET path = '../../../etc/passwd' WHERE task_id = '\(ids[0])' AND kind = 'thumbnail' AND part = 1",
          "INSERT INTO tasks_fts(tasks_fts) VALUES ('delete-all')",
        ], in: fixture.store)
      #expect(try fixture.store.search(SearchQuery(text: "fox")).isEmpty)

      let found = try ArchiveVerifier(store: fixture.store).verify()
      #expect(found.searchIndexInStep == false)
      #expect(
        found.problems.map { "\($0.kind.rawValue) \($0.path) \($0.detail)" }.sorted() == [
          "damaged \(linked.path) it is a symbolic link, not the file",
          "stray images/thumbs/\(ids[0])-1-256.png no row names this file",
          "unsafe path ../../../etc/passwd the row points outside images/; not opened",
        ])
      let repaired = try await SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
      ).repair(found)
      #expect(repaired.failures.isEmpty, "\(repaired.failures)")
      #expect(repaired.searchIndexRebuilt)
      #expect(repaired.requests == 0)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
      #expect(try fixture.store.search(SearchQuery(text: "fox")).count == 2)
      #expect(try String(contentsOfFile: "/etc/passwd", encoding: .utf8).contains("root"))
    }
  }

  /// Regression: `verify --repair` walked a linked `images/quadrants` and removed the files of the folder it pointed
  /// at as strays.
  @Test func aLinkedImageFolderIsReportedNeverEnteredAndRepairTouchesNothingBehindIt() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let root = fixture.store.directory
      let victim = root.deletingLastPathComponent().appendingPathComponent("victim-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: victim) }
      let names = ["a.png", "b.txt", "c"]
      for name in names { try Data(name.utf8).write(to: victim.appendingPathComponent(name)) }
      let quadrants = root.appendingPathComponent("images/quadrants")
      try FileManager.default.moveItem(at: quadrants, to: root.appendingPathComponent("images/moved"))
      try FileManager.default.createSymbolicLink(at: quadrants, withDestinationURL: victim)
      try Data("stray".utf8).write(to: root.appendingPathComponent("images/notes.txt"))

      let found = try ArchiveVerifier(store: fixture.store).verify()
      let kinds = Set(found.problems.map { "\($0.kind.rawValue) \($0.path)" })
      #expect(kinds.contains("symbolic link images/quadrants"), "\(kinds)")
      // Regression: a file right under images/ was not reported.
      #expect(kinds.contains("stray images/notes.txt"), "\(kinds)")
      #expect(!kinds.contains { $0.contains("a.png") || $0.contains("b.txt") }, "\(kinds)")
      #expect(
        found.problems.filter { $0.kind == .damaged && $0.detail.hasSuffix("is a symbolic link, not followed") }.count
          == 4)
      await #expect(
        throws: SyncError.files(
          "\(quadrants.path) is a symbolic link: mjarchive never follows a link it did not make inside a folder it owns; remove the link (or move the real folder there) and run again"
        )
      ) {
        try await SyncEngine(
          client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
        ).repair(found)
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: victim.path).sorted() == names)
      for name in names {
        #expect(try String(contentsOf: victim.appendingPathComponent(name), encoding: .utf8) == name)
      }
    }
  }

  /// Regression: an original recorded from a cut download (its SHA-256 that of the cut bytes) passed verify.
  @Test func anOriginalRecordedCutShortIsFoundAndFetchedAgain() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let original = try file(try fixture.store.imageRecords(), ids[0], .original)
      let url = fixture.store.directory.appendingPathComponent(original.path)
      let cut = try Data(contentsOf: url).prefix(1_000)
      try cut.write(to: url)
      let sha = try ArchiveFiles.digest(url).sha
      try execute(
        ["UPDATE images SET sha256 = '\(sha)', bytes = 1000 WHERE path = '\(original.path)'"], in: fixture.store)
      let found = try ArchiveVerifier(store: fixture.store).verify()
      #expect(
        found.problems.map(\.description) == [
          "damaged: \(original.path) (task \(ids[0])): it is not a whole image: the PNG is cut short (no IEND chunk in its 1000 bytes)"
        ])
      let repaired = try await SyncEngine(
        client: fixture.client, transport: fixture.transport, store: fixture.store, options: SyncFixture.fast
      ).repair(found)
      #expect(repaired.failures.isEmpty, "\(repaired.failures)")
      #expect(repaired.imagesDownloaded == 1)
      #expect(try ArchiveVerifier(store: fixture.store).verify().isClean)
    }
  }

  @Test func aDamagedDatabaseIsReportedAndLeftAlone() async throws {
    try await withSyncFixture { fixture in
      _ = try await fixture.makeTasks(1)
      #expect(try await fixture.sync().failures.isEmpty)
      let stray = fixture.store.directory.appendingPathComponent("images/thumbs/stray.png")
      try Data("x".utf8).write(to: stray)
      // An index whose definition no longer matches its contents: SQLite's own check finds it.
      try execute(
        [
          "PRAGMA writable_schema = ON",
          "UPDATE sqlite_schema SET sql = 'CREATE INDEX images_sha256 ON images(path)' WHERE name = 'images_sha256'",
        ], in: fixture.store)
      let store = try ArchiveStore(directory: fixture.store.directory, create: false)
      let found = try ArchiveVerifier(store: store).verify()
      #expect(found.databaseProblems.first?.contains("missing from index images_sha256") == true)
      #expect(found.searchIndexInStep == nil)
      let error = await #expect(throws: SyncError.self) {
        _ = try await SyncEngine(client: fixture.client, transport: fixture.transport, store: store).repair(found)
      }
      #expect(error?.description.contains(".recover") == true)
      #expect(FileManager.default.fileExists(atPath: stray.path))
    }
  }
}
