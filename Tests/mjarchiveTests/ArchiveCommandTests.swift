import Foundation
import MidjourneyAPI
import TestSupport
import Testing

/// `track`, `import`, `search`, `show`, `stats`, `reindex` through the binary.
@Suite struct ArchiveCommandTests {
  let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-cli-\(UUID().uuidString)")
  var environment: [String: String] { ["MJARCHIVE_DIR": archive.path] }

  static let fixtures = SharedFixtures.gateway

  @Test func importSearchShowStatsReindex() async throws {
    defer { try? FileManager.default.removeItem(at: archive) }
    let file = archive.appendingPathExtension("jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    var lines = ""
    for name in ["task-imagine-success.json", "task-upscale-success.json", "task-describe-success.json"] {
      lines += try JSONParser.parse(Data(contentsOf: Self.fixtures.appendingPathComponent(name))).serialized() + "\n"
    }
    lines += "{\"id\": \"<script>alert(1)</script>\"}\nnot json\n"
    try Data(lines.utf8).write(to: file)

    let imported = try await CommandRunner.run(["import", file.path], environment: environment)
    #expect(imported.status == 1)
    #expect(imported.stdout.contains("imported 3 tasks: 3 new"))
    #expect(imported.stderr.contains("record 4 (line 4): \"<script>alert(1)</script>\" is not a task id"))
    #expect(imported.stderr.contains("record 5 (line 5): invalid JSON"))

    let search = try await CommandRunner.run(["search", "cat", "--sort", "relevance"], environment: environment)
    #expect(search.status == 0)
    #expect(search.stdout.split(separator: "\n").count == 3)
    #expect(!search.stdout.contains("\u{1B}"))
    let upscales = try await CommandRunner.run(["search", "--action", "upscale", "--json"], environment: environment)
    let hit = try JSONParser.parse(Data(upscales.stdout.utf8))
    #expect(hit["id"] == .string("1320098173412601"))
    #expect(hit["parameters"]?["sref"] == .string("https://s.mj.run/ktqQpnwPoPk"))

    let show = try await CommandRunner.run(["show", "1320098173412546"], environment: environment)
    #expect(show.stdout.contains("children      1320098173412601"))
    let bad = try await CommandRunner.run(["search", "cat AND"], environment: environment)
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("mjarchive: invalid search query:"))
    #expect(bad.stderr.split(separator: "\n").count == 1)
    let missing = try await CommandRunner.run(["show", "42"], environment: environment)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no task 42 in the archive"))

    let reindex = try await CommandRunner.run(["reindex"], environment: environment)
    #expect(reindex.stdout == "reindexed 3 tasks\n")
    let tracked = try await CommandRunner.run(["track", "111", "222"], environment: environment)
    #expect(tracked.stdout == "tracking 2 tasks (2 new)\n")
    let stats = try await CommandRunner.run(["stats"], environment: environment)
    #expect(stats.stdout.contains("tasks          3 (2 more known but not fetched)"))
  }

  @Test func aCorruptArchiveIsNamedAndLeftAlone() async throws {
    defer { try? FileManager.default.removeItem(at: archive) }
    try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
    let file = archive.appendingPathComponent("archive.sqlite")
    try Data("garbage that is not sqlite".utf8).write(to: file)
    let outcome = try await CommandRunner.run(["track", "1"], environment: environment)
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("\(file.path) is not an mjarchive archive"))
    #expect(try Data(contentsOf: file) == Data("garbage that is not sqlite".utf8))
  }

  @Test func searchingBeforeAnyArchiveExistsSaysWhatToDo() async throws {
    let outcome = try await CommandRunner.run(["search", "cat"], environment: environment)
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("there is no archive at"))
    #expect(!FileManager.default.fileExists(atPath: archive.path))
  }
}
