import Foundation
import GRDB
import MidjourneyAPI
import Testing

@testable import ArchiveStore

/// Button labels read in Swift for a batch's edges agree with what the `buttons` view reads, and
/// wherever the two readers could differ the view decides.
@Suite struct PressedButtonTests {
  /// A grid from the real upscale sample whose `buttons` member is `buttons`, written as given (duplicate keys kept).
  private static func grid(_ id: String, buttons: String, byteOrderMark: Bool = false) throws -> GatewayTask {
    let sample = try LineageTests.task(id, action: "IMAGINE", hash: LineageTests.hash(Int(id) ?? 0))
    var object = try #require(sample.json.objectValue)
    object["buttons"] = nil
    var text = object.members.isEmpty ? "{}" : JSONValue.object(object).serialized()
    text.removeLast()
    text += #","buttons":\#(buttons)}"#
    let raw = Data((byteOrderMark ? "\u{FEFF}" : "").utf8) + Data(text.utf8)
    return try GatewayTask(raw: raw)
  }

  /// A child of `parent` made by the button `customId`.
  private static func child(_ id: String, of parent: String, customId: String) throws -> GatewayTask {
    try LineageTests.task(id, hash: LineageTests.hash(Int(id) ?? 0), parentId: parent, customId: customId)
  }

  /// Parents with clean and with ambiguous buttons, each with children pressing them, in one batch.
  private static func batch() throws -> [GatewayTask] {
    let clean = #"""
      [{"customId":"a1","label":"U1","emoji":""},{"customId":"a2","label":"","emoji":"🔄"},
       {"customId":"a3","label":null},{"customId":"","label":"none"},"text",{"customId":"a4","label":"V1"}]
      """#
    let parents: [(String, String, Bool)] = [
      ("100", clean, false),
      ("200", #"[{"customId":"b1","label":"U1"},{"customId":"b2","label":5}]"#, false),
      ("300", #"[{"customId":"c1","label":"first","label":"last"}]"#, false),
      ("400", #"[{"customId":"d1","label":"one"},{"customId":"d1","label":"two"}]"#, false),
      ("500", #"[{"customId":"e1","label":"U1"}]"#, true),
      ("600", #"[{"customId":7,"label":"seven"},{"customId":"f1","label":"U1"}]"#, false),
    ]
    let pressed = [
      ("101", "100", "a1"), ("102", "100", "a2"), ("103", "100", "a3"), ("201", "200", "b1"), ("202", "200", "b2"),
      ("301", "300", "c1"), ("401", "400", "d1"), ("501", "500", "e1"), ("601", "600", "f1"), ("602", "600", "zz"),
    ]
    return try parents.map { try grid($0.0, buttons: $0.1, byteOrderMark: $0.2) }
      + pressed.map { try child($0.0, of: $0.1, customId: $0.2) }
  }

  @Test func onlyButtonsBothReadersReadAlikeAreTakenFromSwift() throws {
    let labels = PressedButton.labels(in: try Self.batch().map(PreparedTask.init))
    // a4 made nothing in the batch; 200–600 each hold something the view could read otherwise.
    #expect(
      labels.sorted { $0.customId < $1.customId } == [
        PressedButton(parentId: "100", customId: "a1", label: "U1"),
        PressedButton(parentId: "100", customId: "a2", label: "🔄"),
        PressedButton(parentId: "100", customId: "a3", label: ""),
      ])
  }

  /// Also with the parents and their children chunks apart in one `store` (derived chunk by chunk).
  @Test(arguments: [false, true]) func everyEdgeShowsTheLabelTheButtonsViewReads(chunksApart: Bool) throws {
    let archive = try TemporaryArchive()
    let batch = try Self.batch()
    let filler = try (0..<(chunksApart ? 2 * ArchiveStore.preparedChunkSize : 0)).map { index in
      try TemporaryArchive.task(id: "\(10_000 + index)", prompt: "filler \(index)")
    }
    let outcomes = try archive.store.store(batch.prefix(6) + filler + batch.dropFirst(6))
    #expect(outcomes.count == batch.count + filler.count && outcomes.allSatisfy { $0 == .inserted })
    let edges = try archive.rows(
      """
      SELECT e.child_id, e.button,
        e.button IS (SELECT CASE WHEN b.label != '' THEN b.label ELSE b.emoji END FROM buttons b
          WHERE b.task_id = e.parent_id AND b.custom_id = e.custom_id) AS same
      FROM edges e ORDER BY e.child_id
      """)
    #expect(edges.count == 10)
    for edge in edges {
      #expect(edge["same"] as Bool == true, "edge of \(edge["child_id"] as String)")
    }
    let shown = Dictionary(uniqueKeysWithValues: edges.map { ($0["child_id"] as String, $0["button"] as String?) })
    #expect(shown["101"] == "U1")
    #expect(shown["102"] == "🔄")
    #expect(shown["103"] == "")
    #expect(shown["202"] == "5")
    #expect(shown["301"] == "first")
    #expect(shown["401"] == "one")
    #expect(shown["501"] == .some(nil))
    #expect(shown["601"] == "U1")
    #expect(shown["602"] == .some(nil))
  }

  @Test func labelsOfOneBatchAreNotKeptPastIt() throws {
    let archive = try TemporaryArchive()
    try archive.store.store([
      try Self.grid("100", buttons: #"[{"customId":"a1","label":"U1"}]"#),
      try Self.child("101", of: "100", customId: "a1"),
    ])
    // Another program relabels the button; rebuilding lineage on the same connection must read the new label.
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { db in
      try db.execute(
        sql: """
          UPDATE tasks SET raw_json = CAST(replace(CAST(raw_json AS TEXT), '"U1"', '"Upscale 1"') AS BLOB)
          WHERE id = '100'
          """)
    }
    try queue.close()
    _ = try archive.store.reindex()
    #expect(try archive.rows("SELECT button FROM edges WHERE child_id = '101'").first?["button"] == "Upscale 1")
  }

  @Test func onlyTasksWhoseJobHashAPressedCustomIdNamesAreRead() throws {
    let pressed = "MJ::JOB::upsample::1::\(LineageTests.hash(100))"
    let buttons = #"[{"customId":"\#(pressed)","label":"U1"}]"#
    // The decoy carries the same button under another job hash: no child of it can have pressed it.
    let tasks = [
      try Self.grid("100", buttons: buttons), try Self.grid("900", buttons: buttons),
      try Self.child("101", of: "100", customId: pressed),
    ]
    #expect(
      PressedButton.labels(in: tasks.map(PreparedTask.init)) == [
        PressedButton(parentId: "100", customId: pressed, label: "U1")
      ])
  }

  @Test func aTaskGivenTwiceIsLeftToTheViewWhichReadsTheStateStored() throws {
    let tasks = [
      try Self.grid("100", buttons: #"[{"customId":"a1","label":"U1"}]"#),
      try Self.grid("100", buttons: #"[{"customId":"a1","label":"Upscale 1"}]"#),
      try Self.child("101", of: "100", customId: "a1"),
    ]
    #expect(PressedButton.labels(in: tasks.map(PreparedTask.init)).isEmpty)
    let archive = try TemporaryArchive()
    try archive.store.store(tasks)
    #expect(try archive.rows("SELECT button FROM edges WHERE child_id = '101'").first?["button"] == "Upscale 1")
  }
}
