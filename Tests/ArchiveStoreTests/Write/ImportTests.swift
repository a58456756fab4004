import Foundation
import GRDB
import MidjourneyAPI
import Synchronization
import TestSupport
import Testing

@testable import ArchiveStore

/// Importing task JSON exported by other tools.
@Suite struct ImportTests {
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
}
