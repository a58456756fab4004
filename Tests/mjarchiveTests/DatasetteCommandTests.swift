import Foundation
import MidjourneyAPI
import TestSupport
import Testing

/// `mjarchive datasette`'s metadata, served by the real Datasette from PyPI over an archive the simulator filled:
/// what Datasette finds is what mjarchive's own commands say.
@Suite struct DatasetteCommandTests {
  /// Runs `arguments`, which must succeed, and parses its `--json` output.
  private static func json(_ arguments: [String], _ environment: [String: String]) async throws -> JSONValue {
    let outcome = try await CommandRunner.run(arguments + ["--json"], environment: environment)
    #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
    return try JSONParser.parse(Data(outcome.stdout.utf8))
  }

  /// Every id in a `lineage --json` tree.
  private static func ids(in node: JSONValue?) -> [String] {
    guard let node, let id = node["id"]?.stringValue else { return [] }
    return [id] + (node["children"]?.arrayValue ?? []).flatMap { ids(in: $0) }
  }

  @Test func datasetteSearchesFacetsAndWalksFamiliesAsTheArchiveSays() async throws {
    try await SimulatedGateway.run { environment, _ in
      var grids: [String] = []
      for prompt in ["a red fox in snow --ar 16:9", "一只黑猫在雪地里 --niji 6", "a blue heron --v 7"] {
        let imagine = try await Self.json(["imagine", prompt, "--wait", "--poll-interval", "0.1"], environment)
        grids.append(try #require(imagine["task"]?["id"]?.stringValue))
      }
      for label in ["U2", "V1"] {
        let action = try await CommandRunner.run(
          ["action", grids[0], label, "--wait", "--poll-interval", "0.1"], environment: environment)
        #expect(action.status == 0, "\(action.stderr)")
      }
      let sync = try await CommandRunner.run(["sync"], environment: environment)
      #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")

      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      let metadata = archive.deletingLastPathComponent().appendingPathComponent("datasette-\(UUID()).json")
      defer { try? FileManager.default.removeItem(at: metadata) }
      let written = try await CommandRunner.run(["datasette", "--write", metadata.path], environment: environment)
      #expect(written.status == 0, "\(written.stderr)")
      let database = archive.appendingPathComponent("archive.sqlite")
      #expect(written.stdout == "datasette \(database.path) -m \(metadata.path)\n")

      let stats = try await Self.json(["stats"], environment)
      let lineage = try await Self.json(["lineage", grids[0]], environment)
      try await DatasetteServer.with(database: database, metadata: metadata) { server in
        // Full-text search in FTS5's syntax, on the table and on the view.
        let foxes = try #require(
          try await server.json("/archive/tasks.json?_search=fox&_shape=array") as? [[String: Any]])
        #expect(foxes.count == 3 && foxes.allSatisfy { ($0["prompt"] as? String)?.contains("fox") == true })
        let either = try #require(
          try await server.json("/archive/task_overview.json?_search=fox%20OR%20heron&_shape=array") as? [[String: Any]]
        )
        #expect(either.count == 4)
        let cat = try #require(
          try await server.json("/archive/task_overview.json?_search=%E9%BB%91%E7%8C%AB&_shape=array")
            as? [[String: Any]])
        #expect(cat.map { $0["id"] as? String } == [grids[1]])
        #expect(cat.first?["version"] as? String == "niji 6")

        // Facets count what `stats` counts.
        let faceted = try #require(
          try await server.json("/archive/task_overview.json?_facet=action&_facet=version&_size=0") as? [String: Any])
        let facets = try #require(faceted["facet_results"] as? [String: Any])
        let actions = try #require((facets["action"] as? [String: Any])?["results"] as? [[String: Any]])
        let counted = Dictionary(
          uniqueKeysWithValues: actions.compactMap { row -> (String, Int)? in
            guard let value = row["value"] as? String, let count = row["count"] as? Int else { return nil }
            return (value, count)
          })
        let byAction = try #require(stats["byAction"]?.objectValue)
        #expect(
          counted
            == Dictionary(
              uniqueKeysWithValues: byAction.members.compactMap { member in
                member.value.int64Value.map { (member.key, Int($0)) }
              }))
        #expect(faceted["filtered_table_rows_count"] as? Int == stats["tasks"]?.int64Value.map(Int.init))

        // The family query returns the tree `lineage` shows.
        let family = try #require(
          try await server.json("/archive/family.json?id=\(grids[0])&_shape=array") as? [[String: Any]])
        let tree = Self.ids(in: lineage["tree"])
        #expect(tree.count == 3)
        #expect(family.compactMap { $0["id"] as? String }.sorted() == tree.sorted())
        let fromChild = try #require(
          try await server.json("/archive/family.json?id=\(tree[1])&_shape=array") as? [[String: Any]])
        #expect(Set(fromChild.compactMap { $0["id"] as? String }) == Set(tree))

        // A task's row page and the browsing view load in Chromium without errors.
        let seq = try #require(foxes.first?["seq"] as? Int)
        let session = try await BrowserSession.run([
          ["open": "\(server.baseURL)/archive/tasks/\(seq)"], ["eval": "document.querySelector('h1').textContent"],
          ["open": "\(server.baseURL)/archive/task_overview?_search=fox"],
          ["eval": "document.querySelectorAll('table.rows-and-columns tbody tr').length"],
        ])
        #expect(session.console == [], "console: \(session.console)")
        #expect(session.values.count == 4)
        #expect((session.values[safe: 1] as? String)?.contains("tasks") == true, "\(session.values)")
        #expect(session.values[safe: 3] as? Int == 3)
      }
    }
  }
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
