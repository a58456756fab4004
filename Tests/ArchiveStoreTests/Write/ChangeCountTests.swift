import Foundation
import GRDB
import TestSupport
import Testing

@testable import ArchiveStore

/// The change counter a gallery export stands on: it moves with everything a gallery shows, and with nothing else.
@Suite struct ChangeCountTests {
  @Test func everyChangeAGalleryShowsMovesTheCounterAndBookkeepingDoesNot() throws {
    let archive = try TemporaryArchive()
    let store = archive.store
    var last = try store.changeCount()
    /// True when `step` moved the counter.
    func moves(_ step: () throws -> Void) throws -> Bool {
      try step()
      let now = try store.changeCount()
      defer { last = now }
      return now != last
    }
    let file = StoredFile(kind: .original, path: "images/originals/aa/a.png", sha256: "a", format: "PNG", bytes: 100)
    #expect(try moves { try store.store(try TemporaryArchive.task(id: "1", prompt: "red fox")) })
    #expect(try !moves { try store.store(try TemporaryArchive.task(id: "1", prompt: "red fox")) })
    #expect(try moves { try store.store(try TemporaryArchive.task(id: "1", prompt: "red fox in snow")) })
    #expect(try moves { try store.recordFiles([file], taskId: "1", split: .notSplit) })
    #expect(try moves { try store.recordHashes(["a": ImageHashes(dHash: 1, pHash: 2)]) })
    #expect(try moves { try store.recordSeed("1234", taskId: "1") })
    #expect(
      try !moves { _ = try store.finishSyncRun(try store.beginSyncRun(), counts: SyncRunCounts(), status: "done") })
    #expect(try !moves { try store.rememberAsksForSeeds(true) })
    #expect(try moves { try store.reindex() })
  }

  /// Other programs' edits count too, but not a fetch time written by hand.
  @Test func editsByOtherProgramsMoveTheCounter() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.task(id: "1", prompt: "red fox"))
    let database = archive.directory.appendingPathComponent("archive.sqlite").path
    var last = try archive.store.changeCount()
    for (sql, counts) in [
      ("UPDATE tasks SET last_fetched = last_fetched + 1", false),
      ("UPDATE tasks SET prompt = 'blue owl'", true),
      ("INSERT INTO image_seeds VALUES ('1', '42', 0)", true),
      ("DELETE FROM tasks", true),
    ] {
      _ = try run("/usr/bin/sqlite3", [database, sql])
      let now = try archive.store.changeCount()
      #expect((now != last) == counts, "\(sql)")
      last = now
    }
  }
}
