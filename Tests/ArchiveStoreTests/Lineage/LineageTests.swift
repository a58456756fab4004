import Foundation
import GRDB
import MidjourneyAPI
import TestSupport
import Testing

@testable import ArchiveStore

/// Lineage derived from the traces in real task JSON (the gateway samples), whatever order tasks arrive in.
@Suite struct LineageTests {
  /// A task made from the real upscale sample, keeping only the traces asked for.
  ///
  /// - Parameters:
  ///   - hash: Its own job hash (a UUID, as Midjourney's are).
  ///   - customId: The button that made it; its hash points at the parent.
  static func task(
    _ id: String, action: String = "UPSCALE", hash: String, parentId: String? = nil, referenced: String? = nil,
    customId: String? = nil, submitTime: Int64 = 1_741_531_700_112
  ) throws -> GatewayTask {
    var object = try #require(try TemporaryArchive.sample("task-upscale-success.json").json.objectValue)
    object["id"] = .string(id)
    object["action"] = .string(action)
    object["submitTime"] = .integer(submitTime)
    object["parentId"] = parentId.map(JSONValue.string)
    object["imageUrl"] = .string("https://cdn.example/attachments/1/m\(id)/user_fox_\(hash).png?ex=1")
    var properties = try #require(object["properties"]?.objectValue)
    properties["messageHash"] = .string(hash)
    properties["messageId"] = .string("m\(id)")
    properties["progressMessageId"] = referenced.map(JSONValue.string) ?? .string("p\(id)")
    properties["referencedMessageId"] = referenced.map(JSONValue.string)
    properties["custom_id"] = customId.map(JSONValue.string)
    properties["action_index"] = nil
    properties["messageContent"] = .string("**cat** - <@1> (fast)")
    object["properties"] = .object(properties)
    if action == "IMAGINE" { object["parentId"] = parentId.map(JSONValue.string) }
    let value = JSONValue.object(object)
    return try GatewayTask(json: value, raw: Data(value.serialized().utf8))
  }

  static func hash(_ n: Int) -> String {
    String(format: "%08x-0000-4000-8000-%012x", n, n)
  }

  @Test func aChildStoredBeforeItsParentLinksUpWhenTheParentArrives() throws {
    for trace in ["hash", "message"] {
      let archive = try TemporaryArchive()
      let grid = try Self.task("100", action: "IMAGINE", hash: Self.hash(100))
      let child = try Self.task(
        "101", hash: Self.hash(101), referenced: trace == "message" ? "m100" : nil,
        customId: trace == "hash" ? "MJ::JOB::upsample::3::\(Self.hash(100))" : nil)
      try archive.store.store(child)
      let alone = try archive.store.family(of: "101")
      #expect(alone.rootId == "101")
      #expect(alone.unresolvedParent == (trace == "hash" ? "job hash \(Self.hash(100))" : "message m100"))
      try archive.store.store(grid)
      let family = try archive.store.family(of: "101")
      #expect(family.rootId == "100")
      #expect(family.path == ["100", "101"])
      #expect(family.unresolvedParent == nil)
      let node = try #require(family.node("101"))
      #expect(node.evidence == (trace == "hash" ? .jobHash : .referencedMessage))
      #expect(node.step == LineageStep(kind: "upsample", index: trace == "hash" ? 3 : nil))
      #expect(try archive.store.details(id: "100").children.map(\.id) == ["101"])
    }
  }

  @Test func aParentNeverStoredIsShownAndReported() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try Self.task("201", hash: Self.hash(201), parentId: "200"))
    let family = try archive.store.family(of: "201")
    #expect(family.rootId == "200")
    #expect(family.node("200")?.isStored == false)
    #expect(family.problems == [LineageProblem(kind: .missingParent, childId: "201", parentIds: ["200"])])
    #expect(try archive.store.lineageProblems().map(\.kind) == [.missingParent])
    #expect(try archive.store.details(id: "201").parent?.isStored == false)
  }

  @Test func aTaskNamingItselfAsParentIsReportedAndIgnored() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try Self.task("300", hash: Self.hash(300), parentId: "300"))
    let family = try archive.store.family(of: "300")
    #expect(family.nodes.map(\.id) == ["300"])
    #expect(family.problems.map(\.kind) == [.selfReference])
    #expect(try archive.rows("SELECT count(*) FROM edges").first?[0] == 0)
  }

  @Test func aLoopIsBrokenAndReported() throws {
    let archive = try TemporaryArchive()
    try archive.store.store([
      try Self.task("400", hash: Self.hash(400), parentId: "401"),
      try Self.task("401", hash: Self.hash(401), parentId: "402"),
      try Self.task("402", hash: Self.hash(402), parentId: "400"),
    ])
    #expect(try archive.rows("SELECT count(*) FROM edges").first?[0] == 2)
    let family = try archive.store.family(of: "400")
    #expect(family.nodes.count == 3)
    #expect(family.problems.map(\.kind) == [.cycle])
    #expect(family.problems.first?.description.contains("would close a loop") == true)
    // A loop arriving one task at a time is caught as well.
    let later = try TemporaryArchive()
    try later.store.store(try Self.task("410", hash: Self.hash(410), parentId: "411"))
    try later.store.store(try Self.task("411", hash: Self.hash(411), parentId: "410"))
    #expect(try later.rows("SELECT count(*) FROM edges").first?[0] == 1)
    #expect(try later.store.lineageProblems().map(\.kind) == [.cycle])
    #expect(try later.store.path(to: "410").count <= 2)
  }

  @Test func twoParentsClaimingOneChildAreReportedAndTheFirstIsUsed() throws {
    let archive = try TemporaryArchive()
    let shared = Self.hash(500)
    try archive.store.store([
      try Self.task("502", action: "IMAGINE", hash: shared), try Self.task("501", action: "IMAGINE", hash: shared),
      try Self.task("503", hash: Self.hash(503), customId: "MJ::JOB::upsample::1::\(shared)"),
    ])
    let family = try archive.store.family(of: "503")
    #expect(family.rootId == "501")
    #expect(
      family.problems == [
        LineageProblem(kind: .conflict, childId: "503", parentIds: ["501", "502"], evidence: .jobHash)
      ])
  }

  @Test func aWeakerTraceNeverOverridesAStrongerOne() throws {
    let archive = try TemporaryArchive()
    try archive.store.store([
      try Self.task("600", action: "IMAGINE", hash: Self.hash(600)),
      try Self.task("601", action: "IMAGINE", hash: Self.hash(601)),
      try Self.task("602", action: "IMAGINE", hash: Self.hash(602)),
    ])
    try archive.store.store(
      try Self.task(
        "603", hash: Self.hash(603), parentId: "601", referenced: "m600",
        customId: "MJ::JOB::upsample::2::\(Self.hash(602))"))
    #expect(try archive.store.details(id: "603").parent?.id == "601")
    let traces = try archive.store.evidence(for: ["603"])
    #expect(traces.map(\.evidence) == [.parentId, .referencedMessage, .jobHash])
    #expect(traces.map(\.parentId) == ["601", "600", "602"])
    #expect(traces.map(\.isUsed) == [true, false, false])
    try archive.store.recordSubmission(
      taskId: "603", parentId: "602", customId: "MJ::JOB::upsample::2::\(Self.hash(602))", response: Data("{}".utf8))
    let parent = try #require(try archive.store.details(id: "603").parent)
    #expect(parent.id == "602")
    #expect(parent.evidence == .submitted)
    // Storing the task again keeps the submitted link.
    try archive.store.store(
      try Self.task("603", hash: Self.hash(603), parentId: "601", referenced: "m600", submitTime: 1_741_531_700_113))
    #expect(try archive.store.details(id: "603").parent?.id == "602")
  }

  /// A task naming no parent is not linked again as a child when stored, unless it was submitted
  /// here: its recorded link holds whichever of the two tasks arrives first, and with it in one batch.
  @Test(arguments: ["child first", "parent first", "one batch"])
  func anActionSubmittedHereKeepsItsLinkWhenItArrivesWithoutTraces(order: String) throws {
    let archive = try TemporaryArchive()
    try archive.store.recordSubmission(
      taskId: "801", parentId: "800", customId: "MJ::JOB::upsample::2::\(Self.hash(800))", response: Data("{}".utf8))
    // The gateway answered the action without parentId, custom id or referenced message.
    let parent = try Self.task("800", action: "IMAGINE", hash: Self.hash(800))
    let child = try Self.task("801", action: "IMAGINE", hash: Self.hash(801))
    switch order {
    case "child first": for task in [child, parent] { try archive.store.store(task) }
    case "parent first": for task in [parent, child] { try archive.store.store(task) }
    default: try archive.store.store([child, parent])
    }
    let details = try archive.store.details(id: "801")
    #expect(details.parent?.id == "800")
    #expect(details.parent?.evidence == .submitted)
    #expect(try archive.store.family(of: "801").path == ["800", "801"])
    #expect(try archive.store.lineageProblems().isEmpty)
  }

  /// imagine → U1, U2, V3 → U4 (and Upscale (Subtle) of it): the CTE queries answer from the edges.
  @Test func rootPathSiblingsDepthAndLeaves() throws {
    let archive = try TemporaryArchive()
    let grid = Self.hash(700)
    let variation = Self.hash(703)
    try archive.store.store([
      try Self.task("700", action: "IMAGINE", hash: grid, submitTime: 1),
      try Self.task("701", hash: Self.hash(701), customId: "MJ::JOB::upsample::1::\(grid)", submitTime: 2),
      try Self.task("702", hash: Self.hash(702), customId: "MJ::JOB::upsample::2::\(grid)", submitTime: 3),
      try Self.task(
        "703", action: "VARIATION", hash: variation, customId: "MJ::JOB::variation::3::\(grid)", submitTime: 4),
      try Self.task("704", hash: Self.hash(704), customId: "MJ::JOB::upsample::4::\(variation)", submitTime: 5),
      try Self.task(
        "705", hash: Self.hash(705), customId: "MJ::JOB::upsample_v6_2x_subtle::1::\(Self.hash(704))::SOLO",
        submitTime: 6),
    ])
    #expect(try archive.store.root(of: "705") == "700")
    #expect(try archive.store.path(to: "705") == ["700", "703", "704", "705"])
    #expect(try archive.store.depth(of: "705") == 3)
    #expect(try archive.store.depth(of: "700") == 0)
    #expect(try archive.store.siblings(of: "701") == ["702", "703"])
    #expect(try archive.store.siblings(of: "700") == [])
    #expect(try archive.store.leaves(under: "700") == ["701", "702", "705"])
    let family = try archive.store.family(of: "703")
    #expect(family.nodes.map(\.id) == ["700", "701", "702", "703", "704", "705"])
    #expect(family.nodes.map(\.depth) == [0, 1, 1, 1, 2, 3])
    #expect(family.node("703")?.step == LineageStep(kind: "variation", index: 3))
    #expect(family.node("705")?.step?.kind == "upscale_subtle")
    // reindex rebuilds the same edges.
    let before = try archive.rows("SELECT * FROM edges ORDER BY child_id")
    try archive.store.reindex()
    #expect(try archive.rows("SELECT * FROM edges ORDER BY child_id") == before)
  }

  /// A reroll sits beside the grid it rerolled; the reroll of a root starts its own family, even when
  /// the tasks arrive before the grid's own link is known.
  @Test func aRerollSitsBesideItsGridOrStartsAFamily() throws {
    let archive = try TemporaryArchive()
    let grid = Self.hash(800)
    let variation = Self.hash(802)
    try archive.store.store(
      try Self.task(
        "804", action: "REROLL", hash: Self.hash(804), customId: "MJ::JOB::reroll::0::\(Self.hash(803))::SOLO"))
    try archive.store.store(
      try Self.task("803", action: "REROLL", hash: Self.hash(803), customId: "MJ::JOB::reroll::0::\(variation)::SOLO"))
    try archive.store.store([
      try Self.task("800", action: "IMAGINE", hash: grid),
      try Self.task("801", action: "REROLL", hash: Self.hash(801), customId: "MJ::JOB::reroll::0::\(grid)::SOLO"),
    ])
    #expect(try archive.store.root(of: "803") == "803")
    try archive.store.store(
      try Self.task("802", action: "VARIATION", hash: variation, customId: "MJ::JOB::variation::1::\(grid)"))
    let family = try archive.store.family(of: "800")
    #expect(family.nodes.map(\.id).sorted() == ["800", "802", "803", "804"])
    #expect(family.node("803")?.parentId == "800")
    #expect(family.node("803")?.madeFromId == "802")
    #expect(family.node("804")?.parentId == "800")
    #expect(family.rerolledInto == ["801"])
    let rerolled = try archive.store.family(of: "801")
    #expect(rerolled.rootId == "801")
    #expect(rerolled.rerolledFrom == "800")
    #expect(try archive.store.siblings(of: "802") == ["803", "804"])
  }

  @Test func stepsReadTheSameFromCustomIdsAndFromMessages() {
    let hash = Self.hash(1)
    let byCustomId: [(String, LineageStep)] = [
      ("MJ::JOB::upsample::2::\(hash)", LineageStep(kind: "upsample", index: 2)),
      ("MJ::JOB::variation::4::\(hash)", LineageStep(kind: "variation", index: 4)),
      ("MJ::JOB::reroll::0::\(hash)::SOLO", LineageStep(kind: "reroll")),
      ("MJ::JOB::upsample_v6_2x_subtle::1::\(hash)::SOLO", LineageStep(kind: "upscale_subtle")),
      ("MJ::JOB::upsample_v6_2x_creative::1::\(hash)::SOLO", LineageStep(kind: "upscale_creative")),
      ("MJ::JOB::upsample_v5_4x::1::\(hash)::SOLO", LineageStep(kind: "upscale_4x")),
      ("MJ::JOB::low_variation::1::\(hash)::SOLO", LineageStep(kind: "vary_subtle")),
      ("MJ::JOB::high_variation::1::\(hash)::SOLO", LineageStep(kind: "vary_strong")),
      ("MJ::Outpaint::50::1::\(hash)::SOLO", LineageStep(kind: "zoom")),
      ("MJ::CustomZoom::\(hash)", LineageStep(kind: "zoom")),
      ("MJ::JOB::pan_left::1::\(hash)::SOLO", LineageStep(kind: "pan")),
      ("MJ::Inpaint::1::\(hash)::SOLO", LineageStep(kind: "inpaint")),
      ("MJ::Job::PicReader::3", LineageStep(kind: "prompt_choice", index: 3)),
      ("MJ::JOB::animate_high::1::\(hash)::SOLO", LineageStep(kind: "animate_high")),
    ]
    for (customId, step) in byCustomId { #expect(LineageStep(customId: customId) == step, "\(customId)") }
    #expect(LineageStep(customId: "not a customId") == nil)
    #expect(JobHash.inCustomId("MJ::Outpaint::50::1::\(hash.uppercased())::SOLO") == hash)
    let byMessage: [(TaskAction, String, LineageStep)] = [
      (.upscale, "**cat** - Image #3 <@1>", LineageStep(kind: "upsample", index: 3)),
      (.upscale, "**cat** - Upscaled (Subtle) by <@1> (fast)", LineageStep(kind: "upscale_subtle")),
      (.variation, "**cat** - Variations (Strong) by <@1> (fast)", LineageStep(kind: "vary_strong")),
      (.variation, "**cat** - Variations (Region) by <@1> (fast)", LineageStep(kind: "inpaint")),
      (.variation, "**cat** - Variations by <@1> (fast)", LineageStep(kind: "variation")),
      (.pan, "**cat** - Pan Left by <@1> (fast)", LineageStep(kind: "pan")),
    ]
    for (action, message, step) in byMessage {
      #expect(LineageStep(action: action, messageContent: message, actionIndex: nil, hasParent: true) == step)
    }
    #expect(LineageStep(action: .imagine, messageContent: nil, actionIndex: nil, hasParent: false) == nil)
    #expect(JobHash.inImageURL("https://cdn/x/user_cat_\(hash).png?ex=1") == hash)
    #expect(JobHash.inImageURL("https://cdn/x/user_cat_\(hash)_grid_0.webp") == nil)
  }

  /// An archive made by schema 2 (edges only for actions submitted here) gains the derived columns and
  /// every link when a writer opens it, and a reader opening it first upgrades it the same way.
  @Test(arguments: [false, true])
  func aSchemaTwoArchiveGainsItsLineageWhenOpened(byReader: Bool) throws {
    let (folder, database) = try TemporaryArchive.olderArchive(version: 2)
    defer { try? FileManager.default.removeItem(at: folder) }
    let imagine = SharedFixtures.sample("task-imagine-success.json").path
    let upscale = SharedFixtures.sample("task-upscale-success.json").path
    try run(
      "/usr/bin/sqlite3",
      [database],
      input: Data(
        """
        INSERT INTO tasks (seq, id, action, parent_id, message_id, submit_time, raw_json, first_seen, last_fetched)
          VALUES (1, '1320098173412546', 'IMAGINE', NULL, '1348306030706036789', 1741531578038,
                    readfile('\(imagine)'), 0, 0),
                 (2, '1320098173412601', 'UPSCALE', '1320098173412546', '1348306601234567890', 1741531700112,
                    readfile('\(upscale)'), 0, 0);
        INSERT INTO known_tasks (id, source, parent_id, custom_id, added_at)
          VALUES ('777', 'submit', '1320098173412546', 'MJ::JOB::variation::1::x', 0);
        INSERT INTO edges (child_id, parent_id, custom_id, evidence)
          VALUES ('777', '1320098173412546', 'MJ::JOB::variation::1::x', 'submitted');
        """.utf8))
    let store = byReader ? try ArchiveStore(readingFrom: folder) : try ArchiveStore(directory: folder)
    #expect(try run("/usr/bin/sqlite3", [database, "PRAGMA user_version"]) == "\(SchemaMigrator.currentVersion)\n")
    let family = try store.family(of: "1320098173412601")
    #expect(family.rootId == "1320098173412546")
    // 777 is known only from its submit: no time yet, so it is listed first.
    #expect(family.nodes.map(\.id) == ["1320098173412546", "777", "1320098173412601"])
    #expect(family.node("777")?.evidence == .submitted)
    #expect(family.node("777")?.step == LineageStep(kind: "variation", index: 1))
    #expect(family.node("1320098173412601")?.step == LineageStep(kind: "upsample", index: 2))
    #expect(
      try store.evidence(for: ["1320098173412601"]).map(\.evidence) == [.parentId, .referencedMessage, .jobHash])
  }
}
