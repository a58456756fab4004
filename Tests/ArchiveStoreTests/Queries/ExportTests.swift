import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// What the gallery reads: tasks with their buttons and files.
@Suite struct ExportTests {
  /// Exported tasks carry the buttons of their JSON, in the gateway's order, however they are chosen
  /// (schema 5 reads them from the raw JSON; the whole-archive read parses on every core).
  @Test func exportedTasksCarryTheButtonsOfTheirJSON() throws {
    let archive = try TemporaryArchive()
    let upscale = try TemporaryArchive.sample("task-upscale-success.json")
    let tasks =
      try (0..<1_200).map { try TemporaryArchive.task(id: "\(50_000 + $0)", prompt: "export \($0)") } + [upscale]
    try archive.store.store(tasks)
    let expected = Dictionary(
      uniqueKeysWithValues: tasks.map { task in
        (task.id, task.buttons.map { ArchivedTask.Button(label: $0.label, emoji: $0.emoji) })
      })
    #expect(expected["50000"]?.count == 9)
    #expect(expected[upscale.id]?.isEmpty == false)
    let all = try archive.store.archivedTasks()
    #expect(all.count == tasks.count)
    #expect(all.allSatisfy { expected[$0.id] == $0.buttons })
    let some = try archive.store.archivedTasks(among: ["50007", upscale.id])
    #expect(some.count == 2 && some.allSatisfy { expected[$0.id] == $0.buttons })
    // Custom ids are not kept, but whether one was U1–U4 is: it tells a grid.
    #expect(some.first { $0.id == "50007" }?.showsUpscaleButtons == true)
    #expect(some.first { $0.id == upscale.id }?.showsUpscaleButtons == false)
  }

  /// Rows another program wrote with JSON that is no task's (or no JSON at all) have no buttons; the
  /// `buttons` view and the export read past them instead of failing for every task.
  @Test func rowsWhoseJSONHoldsNoButtonsListHaveNone() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.sample("task-imagine-success.json"))
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { db in
      for (seq, raw) in ["not json", #"{"buttons":"U1"}"#, #"{"buttons":{"a":{"customId":"x"}}}"#, "{\"buttons\":["]
        .enumerated()
      {
        try db.execute(
          sql: "INSERT INTO tasks (seq, id, raw_json, first_seen, last_fetched) VALUES (?, ?, ?, 0, 0)",
          arguments: [seq + 1, "other\(seq)", Data(raw.utf8)])
      }
    }
    try queue.close()
    #expect(try archive.rows("SELECT count(*) AS n FROM buttons").first?["n"] == 9)
    let exported = try archive.store.archivedTasks()
    #expect(exported.count == 5)
    #expect(exported.filter { !$0.buttons.isEmpty }.map(\.id) == ["1320098173412546"])
  }
}
