import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

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
        "image_bytes", "unfetched", "without_images",
      ])
    #expect(try archive.rows("PRAGMA journal_mode").first?[0] == "wal")
    // A new archive is made with 16 KB pages (a 4 KB page held one task's row); sqlite3's own default is 4 KB.
    #expect(try archive.rows("PRAGMA page_size").first?[0] == ArchiveStore.pageSize)
    #expect(try run("/usr/bin/sqlite3", [fresh.path, "PRAGMA page_size"]) == "4096\n")
  }

  /// Newest-first is by when a task was made, not when it was archived: a year-old task tracked today sorts last.
  @Test func newestFirstFollowsWhenTasksWereMadeHoweverLateTheyArrive() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.task(id: "20", prompt: "fox new", submitTime: 1_760_000_000_000))
    try archive.store.store(try TemporaryArchive.task(id: "21", prompt: "fox old", submitTime: 1_700_000_000_000))
    // Known first without a submit time (keyed by when it was stored), then re-keyed once the time is known.
    try archive.store.store(try TemporaryArchive.task(id: "22", prompt: "fox middle", submitTime: nil))
    #expect(try archive.store.search(SearchQuery(text: "fox")).map(\.id) == ["22", "20", "21"])
    try archive.store.store(
      try TemporaryArchive.task(id: "22", prompt: "fox middle", status: "SUCCESS", submitTime: 1_730_000_000_000))
    #expect(try archive.store.search(SearchQuery(text: "fox")).map(\.id) == ["20", "22", "21"])
    #expect(try archive.store.search(SearchQuery(text: "middle")).map(\.id) == ["22"])
    try archive.checkIndexIntegrity()
  }

  /// Tasks made in the same millisecond each get a `seq` of it in the order they were stored, in one
  /// batch and across batches; a task already stored keeps its own.
  @Test func tasksMadeInOneMillisecondAreAllStoredInTheOrderTheyCame() throws {
    let archive = try TemporaryArchive()
    let time: Int64 = 1_741_531_578_038
    let first = try (0..<3).map { try TemporaryArchive.task(id: "\(100 + $0)", prompt: "owl \($0)", submitTime: time) }
    #expect(try archive.store.store(first) == [.inserted, .inserted, .inserted])
    let second = [
      try TemporaryArchive.task(id: "103", prompt: "owl 3", submitTime: time), first[1],
      try TemporaryArchive.task(id: "104", prompt: "owl 4", submitTime: time + 1),
    ]
    #expect(try archive.store.store(second) == [.inserted, .unchanged, .inserted])
    let base = time << ArchiveStore.sequenceShift
    let keys = try archive.rows("SELECT id, seq - \(base) AS offset FROM tasks ORDER BY seq").map { row in
      "\(row["id"] as String) \(row["offset"] as Int64)"
    }
    #expect(keys == ["100 0", "101 1", "102 2", "103 3", "104 16384"])
    #expect(try archive.store.search(SearchQuery(text: "owl")).map(\.id) == ["104", "103", "102", "101", "100"])
    try archive.checkIndexIntegrity()
  }

  /// An archive made with schema 1 (seq in arrival order) is re-keyed by submit time when a writer opens it.
  @Test func aSchemaOneArchiveIsMigratedAndReKeyed() throws {
    let (folder, database) = try TemporaryArchive.olderArchive(version: 1)
    defer { try? FileManager.default.removeItem(at: folder) }
    let rows = [
      ("1", "fox made last", 1_760_000_000_000), ("2", "fox made first", 1_700_000_000_000),
      ("3", "fox made between", 1_730_000_000_000),
    ]
    var sql = ""
    for (index, (id, prompt, time)) in rows.enumerated() {
      sql +=
        "INSERT INTO tasks (seq, id, prompt, submit_time, raw_json, first_seen, last_fetched) VALUES (\(index + 1), '\(id)', '\(prompt)', \(time), X'7B7D', 0, 0);\n"
    }
    sql += "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild');\n"
    try run("/usr/bin/sqlite3", [database], input: Data(sql.utf8))
    let store = try ArchiveStore(directory: folder)
    #expect(try store.search(SearchQuery(text: "fox")).map(\.id) == ["1", "3", "2"])
    #expect(try store.search(SearchQuery(text: "between")).map(\.id) == ["3"])
    #expect(try run("/usr/bin/sqlite3", [database, "PRAGMA user_version"]) == "\(SchemaMigrator.currentVersion)\n")
  }

  @Test func storingTheSameTaskTwiceChangesOnlyLastFetched() throws {
    let archive = try TemporaryArchive()
    let task = try TemporaryArchive.sample("task-imagine-success.json")
    #expect(try archive.store.store(task) == .inserted)
    let before = try archive.rows("SELECT * FROM tasks")
    Thread.sleep(forTimeInterval: 0.01)
    #expect(try archive.store.store(task) == .unchanged)
    let after = try archive.rows("SELECT * FROM tasks")
    #expect(before.count == 1 && after.count == 1)
    for column in before[0].columnNames where column != "last_fetched" {
      #expect(before[0][column] as DatabaseValue == after[0][column] as DatabaseValue, "\(column)")
    }
    #expect((after[0]["last_fetched"] as Int64) > (before[0]["last_fetched"] as Int64))
    #expect(after[0]["raw_json"] as Data == task.raw)
    #expect(after[0]["id"] as String == "1320098173412546")
  }

  @Test func aFinishedTaskIsNeverOverwrittenByAnUnfinishedOne() throws {
    let archive = try TemporaryArchive()
    let done = try TemporaryArchive.sample("task-imagine-success.json")
    try archive.store.store(done)
    var object = try #require(done.json.objectValue)
    object["status"] = "IN_PROGRESS"
    object["progress"] = "40%"
    let stale = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    #expect(try archive.store.store(stale) == .keptFinished)
    #expect(try archive.store.details(id: done.id).task?.raw == done.raw)
    object["status"] = "SUCCESS"
    object["imageUrl"] = "https://example.com/fresh-link.png"
    let refreshed = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    #expect(try archive.store.store(refreshed) == .updated)
    #expect(try archive.store.details(id: done.id).task?.imageUrl == "https://example.com/fresh-link.png")
    try archive.checkIndexIntegrity()
    // Nothing the gateway said of the finished task is lost: the refused unfinished answer (once, however often
    // it comes) and the finished JSON the refreshed one replaced.
    #expect(try archive.store.store(stale) == .keptFinished)
    let history = try archive.rows(
      "SELECT raw_json, reason FROM task_history WHERE task_id = '\(done.id)' ORDER BY rowid")
    #expect(history.map { $0["reason"] as String } == ["unfinished after finished", "replaced"])
    #expect(history.map { $0["raw_json"] as Data } == [stale.raw, done.raw])
  }

  @Test func cjkTextIsFoundByOneCharacterOrMore() throws {
    let archive = try TemporaryArchive()
    _ = try archive.store.store([
      try TemporaryArchive.task(id: "1", prompt: "一只黑猫"),
      try TemporaryArchive.task(id: "2", prompt: "一只赛博朋克猫 --ar 16:9"),
      try TemporaryArchive.task(id: "3", prompt: "a black dog"),
      try TemporaryArchive.task(id: "4", prompt: "猫の写真 neon cat"),
    ])
    let ids = { (text: String) throws -> [String] in
      try archive.store.search(SearchQuery(text: text)).map(\.id).sorted()
    }
    #expect(try ids("猫") == ["1", "2", "4"])
    #expect(try ids("黑猫") == ["1"])
    #expect(try ids("赛博朋克") == ["2"])
    #expect(try ids("朋克猫") == ["2"])
    #expect(try ids("狗") == [])
    #expect(try ids("猫 AND neon") == ["4"])
    #expect(try ids("\"黑猫\" OR dog") == ["1", "3"])
    #expect(try ids("写真") == ["4"])
  }

  @Test func searchSyntaxFiltersAndSorting() throws {
    let archive = try TemporaryArchive()
    _ = try archive.store.store([
      try TemporaryArchive.task(id: "10", prompt: "red fox in snow --ar 16:9 --v 6.1", submitTime: 1_700_000_000_000),
      try TemporaryArchive.task(
        id: "11", prompt: "red fox, red sky, red everything --ar 1:1 --niji 6 --seed 7", submitTime: 1_710_000_000_000),
      try TemporaryArchive.task(
        id: "12", prompt: "blue fox --no red-car --sref https://s.mj.run/abc", action: "UPSCALE",
        submitTime: 1_720_000_000_000),
      try TemporaryArchive.task(id: "13", prompt: "foxglove flowers", status: "FAILURE", submitTime: 1_730_000_000_000),
    ])
    func ids(_ text: String, _ configure: (inout SearchQuery) -> Void = { _ in }) throws -> [String] {
      var query = SearchQuery(text: text)
      configure(&query)
      return try archive.store.search(query).map(\.id)
    }
    #expect(try ids("fox") == ["12", "11", "10"])
    #expect(try ids("fox") { $0.sort = .oldest } == ["10", "11", "12"])
    #expect(try ids("red") { $0.sort = .relevance }.first == "11")
    #expect(try ids("fox*") == ["13", "12", "11", "10"])
    #expect(try ids("fox NOT snow") == ["12", "11"])
    #expect(try ids("\"red fox\"") == ["11", "10"])
    #expect(try ids("red-car") == ["12"])
    #expect(try ids("16:9") == ["10"])
    #expect(try ids("upscale") == ["12"])
    #expect(try ids("fox") { $0.aspectRatio = "16:9" } == ["10"])
    #expect(try ids("") { $0.niji = "6" } == ["11"])
    #expect(try ids("") { $0.seed = "7" } == ["11"])
    #expect(try ids("") { $0.version = "6.1" } == ["10"])
    #expect(try ids("") { $0.sref = "s.mj.run/abc" } == ["12"])
    #expect(try ids("") { $0.action = "upscale" } == ["12"])
    #expect(try ids("") { $0.status = "failure" } == ["13"])
    #expect(
      try ids("") {
        $0.since = 1_705_000_000_000; $0.until = 1_725_000_000_000
      } == ["12", "11"])
    #expect(try ids("") { $0.hasImage = true } == [])
    #expect(try ids("fox") { $0.limit = 1 } == ["12"])
    let hit = try #require(try archive.store.search(SearchQuery(text: "snow")).first)
    #expect(hit.snippet.contains("\(SearchHit.highlightStart)snow\(SearchHit.highlightEnd)"))
    #expect(hit.parameters["ar"] == "16:9")
  }

  /// Regression (found by fuzz/FuzzSearchQuery): NEAR with a word for its distance gave a database error.
  @Test(arguments: ["fox AND", "(fox", "NEAR(fox", "OR", "NEAR(red fx ,o3) 16:9 rx, 3) 16:9 le"])
  func invalidQueriesGiveOneLine(text: String) throws {
    let archive = try TemporaryArchive()
    let error = #expect(throws: StoreError.self) { try archive.store.search(SearchQuery(text: text)) }
    guard case .invalidQuery(let detail)? = error else {
      Issue.record("expected invalidQuery, got \(String(describing: error))")
      return
    }
    #expect(!detail.contains("\n"))
    #expect(error?.description.hasPrefix("invalid search query: ") == true)
  }

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
        (task.id, task.buttons.map { ArchivedTask.Button(label: $0.label, emoji: $0.emoji, customId: $0.customId) })
      })
    #expect(expected["50000"]?.count == 9)
    #expect(expected[upscale.id]?.isEmpty == false)
    let all = try archive.store.archivedTasks()
    #expect(all.count == tasks.count)
    #expect(all.allSatisfy { expected[$0.id] == $0.buttons })
    let some = try archive.store.archivedTasks(among: ["50007", upscale.id])
    #expect(some.count == 2 && some.allSatisfy { expected[$0.id] == $0.buttons })
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

  @Test func reindexRebuildsExactlyWhatWasThere() throws {
    let archive = try TemporaryArchive()
    for name in [
      "task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json",
      "task-imagine-failure.json", "task-variation-in-progress.json",
    ] {
      try archive.store.store(try TemporaryArchive.sample(name))
    }
    try archive.store.store(try TemporaryArchive.task(id: "77", prompt: "一只黑猫 --ar 3:2"))
    let dump = { () throws -> [[DatabaseValue]] in
      try [
        "SELECT * FROM tasks ORDER BY seq", "SELECT * FROM task_parameters ORDER BY task_id",
        "SELECT * FROM buttons ORDER BY task_id, position",
      ]
      .flatMap { try archive.rows($0).map { row in row.columnNames.map { row[$0] as DatabaseValue } } }
    }
    let before = try dump()
    let queue = try DatabaseQueue(path: archive.directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { db in
      try db.execute(sql: "UPDATE tasks SET prompt = 'damaged', cjk_terms = '', action = NULL")
      try db.execute(sql: "DELETE FROM task_parameters")
    }
    try queue.close()
    #expect(try archive.store.search(SearchQuery(text: "猫")).isEmpty)
    #expect(try archive.store.reindex() == 6)
    #expect(try dump() == before)
    #expect(try archive.store.search(SearchQuery(text: "猫")).map(\.id) == ["77"])
    #expect(try archive.store.search(SearchQuery(text: "damaged")).isEmpty)
    try archive.checkIndexIntegrity()
  }

  /// A whole task another program inserted (raw JSON and all, but never indexed) is indexed by reindex;
  /// the full-text update trigger used to fail on it, as FTS5 was asked to delete what it never held.
  @Test func reindexIndexesATaskAnotherProgramInserted() throws {
    let archive = try TemporaryArchive()
    try archive.store.store(try TemporaryArchive.task(id: "1", prompt: "owl at dusk"))
    let imagine = SharedFixtures.sample("task-imagine-success.json").path
    try run(
      "/usr/bin/sqlite3", [archive.directory.appendingPathComponent("archive.sqlite").path],
      input: Data(
        """
        INSERT INTO tasks (seq, id, prompt, raw_json, first_seen, last_fetched)
          VALUES (2, '1320098173412546', 'not yet derived', readfile('\(imagine)'), 0, 0);
        """.utf8))
    #expect(try archive.store.search(SearchQuery(text: "cat")).isEmpty)
    #expect(try archive.store.reindex() == 2)
    #expect(try archive.store.search(SearchQuery(text: "cat")).map(\.id) == ["1320098173412546"])
    #expect(try archive.store.search(SearchQuery(text: "owl")).map(\.id) == ["1"])
    #expect(try archive.rows("SELECT count(*) FROM sqlite_schema WHERE name = 'tasks_fts_update'").first?[0] == 1)
    try archive.checkIndexIntegrity()
  }

  @Test func detailsFollowEveryLineageHint() throws {
    let archive = try TemporaryArchive()
    let parent = try TemporaryArchive.sample("task-imagine-success.json")
    let child = try TemporaryArchive.sample("task-upscale-success.json")
    try archive.store.store(parent)
    try archive.store.store(child)
    #expect(try archive.store.details(id: child.id).parent?.id == parent.id)
    #expect(try archive.store.details(id: child.id).parent?.evidence == .parentId)
    #expect(try archive.store.details(id: child.id).parent?.buttonText == "U2")
    #expect(try archive.store.details(id: parent.id).children.map(\.id) == [child.id])
    try archive.store.recordSubmission(
      taskId: "555", parentId: parent.id, customId: "MJ::JOB::variation::1::x", response: Data("{}".utf8))
    let known = try archive.store.details(id: "555")
    #expect(known.task == nil)
    #expect(known.knownFrom == "submit")
    #expect(known.parent?.evidence == .submitted)
    #expect(known.rootId == parent.id)
    #expect(Set(try archive.store.details(id: parent.id).children.map(\.id)) == [child.id, "555"])
    #expect(throws: StoreError.taskNotFound(id: "404")) { try archive.store.details(id: "404") }
  }

  @Test func hashOnlyAndReferencedMessageChildrenAreFound() throws {
    let archive = try TemporaryArchive()
    let parent = try TemporaryArchive.sample("task-imagine-success.json")
    try archive.store.store(parent)
    var object = try #require(try TemporaryArchive.sample("task-upscale-success.json").json.objectValue)
    object["parentId"] = nil
    var properties = try #require(object["properties"]?.objectValue)
    properties["referencedMessageId"] = nil
    properties["progressMessageId"] = nil
    object["properties"] = .object(properties)
    let hashOnly = try GatewayTask(json: .object(object), raw: Data(JSONValue.object(object).serialized().utf8))
    try archive.store.store(hashOnly)
    #expect(try archive.store.details(id: hashOnly.id).parent?.evidence == .jobHash)
    #expect(try archive.store.details(id: hashOnly.id).parent?.id == parent.id)
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

  @Test func importStoresTheGoodRecordsAndReportsEachBadOne() throws {
    let archive = try TemporaryArchive()
    let good = try TemporaryArchive.sample("task-imagine-success.json")
    let upscale = try TemporaryArchive.sample("task-upscale-success.json")
    var lines = String(decoding: try JSONParser.parse(good.raw).serialized().utf8, as: UTF8.self) + "\n"
    lines += "{\"id\": \"1\", \"prompt\": \"broken\n"
    lines += "{\"action\": \"IMAGINE\"}\n"
    lines += "{\"id\": \"../../etc/passwd\"}\n"
    lines += String(decoding: upscale.raw, as: UTF8.self) + "\n"
    var failures: [ImportReport.Failure] = []
    let report = try archive.store.importTasks(data: Data(lines.utf8)) { failures.append($0) }
    #expect(report.inserted == 2)
    #expect(report.failed == 3)
    #expect(failures.map(\.record) == [2, 3, 4])
    #expect(failures.map(\.line) == [2, 3, 4])
    #expect(failures[0].reason.hasPrefix("invalid JSON"))
    #expect(failures[1].reason.contains("no id"))
    #expect(failures[2].reason.contains("not a task id"))
    // The value's bytes, without the file's final newline.
    #expect(try archive.store.details(id: upscale.id).task?.raw == upscale.raw.dropLast())
    let again = try archive.store.importTasks(data: Data(lines.utf8))
    #expect(again.unchanged == 2)
    #expect(again.inserted == 0)
    try archive.checkIndexIntegrity()
  }

  /// Batches share transactions: every task of each batch is stored and counted once.
  @Test func anImportOfSeveralBatchesStoresAndCountsEachTaskOnce() throws {
    let archive = try TemporaryArchive()
    let count = ArchiveStore.importBatchSize + 500
    var lines = Data()
    for index in 0..<count {
      lines += try TemporaryArchive.task(id: "\(500_000 + index)", prompt: "batch cat \(index)").raw + Data("\n".utf8)
    }
    let report = try archive.store.importTasks(data: lines)
    #expect(report.inserted == count)
    #expect(try archive.rows("SELECT count(*) AS n FROM tasks").first?["n"] == count)
    #expect(try archive.rows("SELECT count(*) AS n FROM known_tasks WHERE source = 'import'").first?["n"] == count)
    #expect(try archive.store.stats().tasks == count)
    let again = try archive.store.importTasks(data: lines)
    #expect(again.unchanged == count)
    #expect(again.inserted == 0)
  }

  /// An import indexes a transaction's new rows when it ends: a task changed by a later batch before
  /// then is indexed once, with its newer text.
  @Test func aTaskChangedLaterInTheSameImportIsIndexedWithItsNewText() throws {
    let archive = try TemporaryArchive()
    var lines = Data()
    for index in 0..<(ArchiveStore.importBatchSize + 10) {
      let prompt = index == 5 ? "first draft heron" : "filler \(index)"
      lines += try TemporaryArchive.task(id: "\(600_000 + index)", prompt: prompt).raw + Data("\n".utf8)
    }
    lines += try TemporaryArchive.task(id: "600005", prompt: "final heron", status: "FAILURE").raw + Data("\n".utf8)
    let report = try archive.store.importTasks(data: lines)
    #expect(report.inserted == ArchiveStore.importBatchSize + 10)
    #expect(report.updated == 1)
    try archive.checkIndexIntegrity()
    #expect(try archive.store.search(SearchQuery(text: "heron")).map(\.id) == ["600005"])
    #expect(try archive.store.search(SearchQuery(text: "draft")).isEmpty)
    #expect(try archive.store.search(SearchQuery(text: "final")).map(\.id) == ["600005"])
  }

  /// A transaction takes further batches only if they are read already: an import waiting on a slow
  /// pipe holds no write lock, so a sync can write meanwhile.
  @Test func anImportWaitingForInputLetsOtherWritersIn() throws {
    let archive = try TemporaryArchive()
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer { close(ends[0]) }
    // Small records: one whole batch, read at once.
    let lines = Data(
      (0..<ArchiveStore.importBatchSize).map { #"{"id":"\#(600_000 + $0)","prompt":"piped \#($0)"}"# + "\n" }
        .joined().utf8)
    let (store, input) = (archive.store, ends[0])
    let finished = DispatchSemaphore(value: 0)
    let report = Mutex<ImportReport?>(nil)
    Thread {
      let imported = try? store.importTasks(from: JSONRecordReader(fileDescriptor: input))
      report.withLock { $0 = imported }
      finished.signal()
    }.start()
    FileHandle(fileDescriptor: ends[1], closeOnDealloc: false).write(lines)
    var stored = 0
    for _ in 0..<600 {
      stored = try archive.rows("SELECT count(*) AS n FROM tasks").first?["n"] ?? 0
      if stored == ArchiveStore.importBatchSize { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(stored == ArchiveStore.importBatchSize)
    // The import now waits for more input, outside any transaction.
    var configuration = Configuration()
    configuration.busyMode = .timeout(2)
    let other = try DatabaseQueue(
      path: archive.directory.appendingPathComponent("archive.sqlite").path, configuration: configuration)
    try other.write { db in
      try db.execute(sql: "INSERT INTO known_tasks (id, source, added_at) VALUES ('900', 'track', 1)")
    }
    try other.close()
    close(ends[1])
    finished.wait()
    #expect(report.withLock { $0?.inserted } == ArchiveStore.importBatchSize)
  }

  /// Regression: a new task given twice in one batch, changed between, failed the whole batch with
  /// "database disk image is malformed" (its update reached the full-text index before its insert).
  @Test func aNewTaskGivenTwiceInOneBatchKeepsItsLastState() throws {
    let archive = try TemporaryArchive()
    let running = try TemporaryArchive.task(id: "700", prompt: "a running fox", status: "IN_PROGRESS")
    let finished = try TemporaryArchive.task(id: "700", prompt: "a finished fox")
    let other = try TemporaryArchive.task(id: "701", prompt: "an owl")
    let lines = [running, other, finished].map { $0.raw + Data("\n".utf8) }.reduce(Data(), +)
    let report = try archive.store.importTasks(data: lines)
    #expect(report.inserted == 2)
    #expect(report.updated == 1)
    #expect(try archive.store.details(id: "700").task?.raw == finished.raw)
    #expect(try archive.store.search(SearchQuery(text: "finished")).map(\.id) == ["700"])
    #expect(try archive.store.search(SearchQuery(text: "running")).isEmpty)
    #expect(try archive.store.search(SearchQuery(text: "owl")).map(\.id) == ["701"])
    try archive.checkIndexIntegrity()
  }

  @Test func importReadsArraysKeepingEachElementsBytes() throws {
    let archive = try TemporaryArchive()
    let one = try Data(contentsOf: SharedFixtures.sample("task-imagine-failure.json")).dropLast()
    let two = try Data(contentsOf: SharedFixtures.sample("task-describe-success.json")).dropLast()
    let array = Data("[\n".utf8) + one + Data(",\n".utf8) + two + Data("\n]".utf8)
    let report = try archive.store.importTasks(data: array)
    #expect(report.inserted == 2)
    #expect(report.failed == 0)
    #expect(try archive.store.details(id: "1320098173412777").task?.raw == Data(one))
    // Cut inside the second element: the first is still whole and kept.
    var failures: [ImportReport.Failure] = []
    let broken = try archive.store.importTasks(data: array.prefix(array.count - 10)) { failures.append($0) }
    #expect(broken.failed == 1)
    #expect(broken.accepted == 1)
    #expect(failures.first?.record == 2)
  }

  /// Regression: one syntax error in a JSON array imported nothing and blamed "record 1 (line 1)".
  @Test func aDamagedArrayKeepsEveryWholeRecordAndNamesTheLine() throws {
    let archive = try TemporaryArchive()
    let tasks = try ["task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json"].map {
      try TemporaryArchive.sample($0)
    }
    let pretty = try tasks.map { try JSONParser.parse($0.raw).prettySerialized() }
    var text = "[\n" + pretty[0] + ",\n"
    let damagedLine = text.split(separator: "\n", omittingEmptySubsequences: false).count
    text += "{\"id\": \"5\" \"prompt\": \"no comma before me\"},\n"
    text += pretty[1] + ",\n" + pretty[2] + "\n]\n"
    var failures: [ImportReport.Failure] = []
    let report = try archive.store.importTasks(data: Data(text.utf8)) { failures.append($0) }
    #expect(report.inserted == 3)
    #expect(failures.map(\.record) == [2])
    #expect(failures.map(\.line) == [damagedLine])
    for task in tasks { #expect(try archive.store.details(id: task.id).task != nil) }
  }

  @Test func importSaysWhyAnInputCannotBeRead() throws {
    let archive = try TemporaryArchive()
    let missing = archive.directory.appendingPathComponent("missing.json").path
    #expect(throws: StoreError.unreadableImport(path: missing, reason: "there is no such file")) {
      try archive.store.importTasks(from: missing)
    }
    #expect(throws: StoreError.unreadableImport(path: archive.directory.path, reason: "it is a folder, not a file")) {
      try archive.store.importTasks(from: archive.directory.path)
    }
    #expect(throws: StoreError.unreadableImport(path: "/dev/null", reason: "it is empty: there is nothing to import")) {
      try archive.store.importTasks(from: "/dev/null")
    }
  }

  @Test func statsCountWhatIsThere() throws {
    let archive = try TemporaryArchive()
    for name in ["task-imagine-success.json", "task-upscale-success.json", "task-imagine-failure.json"] {
      try archive.store.store(try TemporaryArchive.sample(name))
    }
    try archive.store.track(["999", "1320098173412546"])
    let stats = try archive.store.stats()
    #expect(stats.tasks == 3)
    #expect(stats.unfetched == 1)
    #expect(stats.byAction.map(\.0) == ["IMAGINE", "UPSCALE"])
    #expect(stats.byAction.map(\.1) == [2, 1])
    #expect(stats.byStatus.map(\.0) == ["SUCCESS", "FAILURE"])
    #expect(stats.newestTaskId == "1320098173412777")
    #expect(stats.withoutImages == 2)
    #expect(stats.archiveBytes > 0)
    #expect(throws: StoreError.self) { try archive.store.track(["../x"]) }
  }
}
