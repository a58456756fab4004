import Foundation
import MidjourneyAPI
import Simulator
import TestSupport
import Testing

/// Families built through the simulator in each lineage trace, synced by the binary into an archive
/// that has no submission records, so every link comes from what the gateway wrote.
@Suite struct LineageCommandTests {
  static let key = "sk-lineage-5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d"
  static let pixel = "data:image/png;base64,iVBORw0KGgo="

  /// Presses buttons on the in-process gateway, finishing each task by moving its clock.
  struct FamilyBuilder {
    let gateway: SimulatorGateway
    let style: LineageStyle

    func post(_ route: String, _ fields: KeyValuePairs<String, JSONValue>) throws -> String {
      var body = JSONObject(fields)
      body["state"] = .string("lineage:\(style.rawValue)")
      let response = gateway.respond(
        to: SimulatorRequest(
          method: "POST", uri: "/mj/submit/\(route)", headers: [("Authorization", "Bearer \(LineageCommandTests.key)")],
          body: Data(JSONValue.object(body).serialized().utf8)))
      let answer = try JSONParser.parse(response.body)
      let id = try #require(answer["result"]?.textValue, "\(route): \(String(decoding: response.body, as: UTF8.self))")
      gateway.clock.advance(by: 2)
      return id
    }

    func task(_ id: String) throws -> GatewayTask {
      let response = gateway.respond(
        to: SimulatorRequest(
          method: "GET", uri: "/mj/task/\(id)/fetch", headers: [("Authorization", "Bearer \(LineageCommandTests.key)")])
      )
      return try GatewayTask(raw: response.body)
    }

    /// Presses the parent's button whose label (or emoji) is `label`, or whose customId contains it.
    func press(_ parent: String, _ label: String) throws -> String {
      let button = try #require(
        try task(parent).buttons.first { $0.label == label || $0.emoji == label || $0.customId.contains(label) },
        "no button \(label) on \(parent)")
      return try post("action", ["customId": .string(button.customId), "taskId": .string(parent)])
    }
  }

  /// The tree's shape: each node's step (upsample with its quadrant) and action, children in order.
  static func shape(_ node: JSONValue) -> String {
    let kind = node["kind"]?.stringValue ?? ""
    let index = kind == "upsample" ? (node["index"]?.textValue ?? "?") : ""
    let children = node["children"]?.arrayValue ?? []
    return "\(kind)\(index)(\(node["action"]?.stringValue ?? "?"))"
      + (children.isEmpty ? "" : "[" + children.map(shape).joined(separator: ",") + "]")
  }

  func lineage(_ id: String, _ environment: [String: String], _ flags: [String] = ["--json"]) async throws -> JSONValue
  {
    let outcome = try await CommandRunner.run(["lineage", id] + flags, environment: environment)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    return try JSONParser.parse(Data(outcome.stdout.utf8))
  }

  @Test(arguments: LineageStyle.allCases)
  func everyFamilyGivesTheSameTreeInEveryTrace(style: LineageStyle) async throws {
    let archive = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-lineage-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: archive) }
    let configuration = SimulatorConfiguration(
      apiKey: Self.key, taskSeconds: 0.5, imageSize: .small, lineageStyle: style, concurrencyLimit: 50)
    try await SimulatorServer.withRunning(configuration) { server in
      let environment = ["MJ_BASE_URL": server.baseURL, "MJ_API_KEY": Self.key, "MJARCHIVE_DIR": archive.path]
      let build = FamilyBuilder(gateway: server.gateway, style: style)
      // imagine → U1..U4
      let grid = try build.post("imagine", ["prompt": "red fox in snow"])
      let upscales = try ["U1", "U2", "U3", "U4"].map { try build.press(grid, $0) }
      // imagine → V2 → U3 → Upscale (Subtle)
      let second = try build.post("imagine", ["prompt": "lighthouse in a storm"])
      let subtle = try build.press(build.press(build.press(second, "V2"), "U3"), "Upscale (Subtle)")
      // Zoom Out and pan chains
      let third = try build.post("imagine", ["prompt": "paper \"boat\" \\ on a lake\n</script><svg onload=alert(1)>"])
      let zoomed = try build.press(build.press(third, "U1"), "Zoom Out 2x")
      let panned = try build.press(build.press(build.press(zoomed, "U1"), "pan_left"), "U2")
      let lastPan = try build.press(panned, "pan_up")
      // rerolls: of a root (a new family) and of a variation (a sibling)
      let fourth = try build.post("imagine", ["prompt": "black cat on a windowsill"])
      let rootReroll = try build.press(fourth, "reroll")
      let variation = try build.press(fourth, "V1")
      let siblingReroll = try build.press(variation, "reroll")
      // blend root; describe → imagine from its second prompt
      let blend = try build.post("blend", ["base64Array": .array([.string(Self.pixel), .string(Self.pixel)])])
      let blendUpscale = try build.press(blend, "U1")
      let describe = try build.post("describe", ["base64": .string(Self.pixel)])
      let chosen = try build.press(describe, "PicReader::2")
      let chosenUpscale = try build.press(chosen, "U1")
      // Vary (Region): the child waits in MODAL until `mjarchive modal` sends the mask
      let fifth = try build.post("imagine", ["prompt": "fox in a spring meadow"])
      let region = try build.press(build.press(fifth, "U1"), "Vary (Region)")
      #expect(try build.task(region).status == .modal)
      let mask = archive.deletingLastPathComponent().appendingPathComponent("mask-\(UUID().uuidString).png")
      try Data(base64Encoded: "iVBORw0KGgo=")?.write(to: mask)
      defer { try? FileManager.default.removeItem(at: mask) }
      let modal = try await CommandRunner.run(
        ["modal", region, "--mask", mask.path, "--archive", archive.path + "-submits"], environment: environment)
      defer { try? FileManager.default.removeItem(atPath: archive.path + "-submits") }
      #expect(modal.status == 0, "\(modal.stderr)")
      server.gateway.clock.advance(by: 2)

      // Children first, parents later: links must form whichever arrives first.
      let ids = server.gateway.taskIds
      for batch in [Array(ids.reversed().prefix(ids.count / 2)), ids] {
        let track = try await CommandRunner.run(["track"] + batch, environment: environment)
        #expect(track.status == 0, "\(track.stderr)")
        let sync = try await CommandRunner.run(["sync", "--no-split"], environment: environment)
        #expect(sync.status == 0, "\(sync.stderr)")
      }

      let first = try await lineage(upscales[2], environment)
      #expect(first["rootId"]?.stringValue == grid)
      #expect(first["focusId"]?.stringValue == upscales[2])
      #expect(
        Self.shape(try #require(first["tree"]))
          == "(IMAGINE)[upsample1(UPSCALE),upsample2(UPSCALE),upsample3(UPSCALE),upsample4(UPSCALE)]")
      let upscaled = try await lineage(subtle, environment)
      #expect(
        Self.shape(try #require(upscaled["tree"]))
          == "(IMAGINE)[variation(VARIATION)[upsample3(UPSCALE)[upscale_subtle(UPSCALE)]]]")
      #expect(upscaled["path"]?.arrayValue?.count == 4)
      let chain = try await lineage(lastPan, environment)
      #expect(
        Self.shape(try #require(chain["tree"]))
          == "(IMAGINE)[upsample1(UPSCALE)[zoom(ZOOM)[upsample1(UPSCALE)[pan(PAN)[upsample2(UPSCALE)[pan(PAN)]]]]]]")
      let rerolled = try await lineage(siblingReroll, environment)
      #expect(Self.shape(try #require(rerolled["tree"])) == "(IMAGINE)[variation(VARIATION),reroll(REROLL)]")
      #expect(rerolled["rerolledInto"] == .array([.string(rootReroll)]))
      let newFamily = try await lineage(rootReroll, environment)
      #expect(newFamily["rootId"]?.stringValue == rootReroll)
      #expect(newFamily["rerolledFrom"]?.stringValue == fourth)
      let blended = try await lineage(blendUpscale, environment)
      #expect(Self.shape(try #require(blended["tree"])) == "(BLEND)[upsample1(UPSCALE)]")
      let described = try await lineage(chosenUpscale, environment)
      if style == .hashOnly {
        // A describe's buttons (MJ::Job::PicReader::2) carry no hash: this gateway leaves no trace of the link.
        #expect(Self.shape(try #require(described["tree"])) == "(IMAGINE)[upsample1(UPSCALE)]")
        #expect(described["unresolvedParent"]?.stringValue == "no trace of which task")
      } else {
        #expect(Self.shape(try #require(described["tree"])) == "(DESCRIBE)[prompt_choice(IMAGINE)[upsample1(UPSCALE)]]")
        #expect(described["rootId"]?.stringValue == describe)
      }
      let inpainted = try await lineage(region, environment)
      #expect(Self.shape(try #require(inpainted["tree"])) == "(IMAGINE)[upsample1(UPSCALE)[inpaint(INPAINT)]]")
      for family in [first, upscaled, chain, rerolled, blended, inpainted] {
        #expect(family["problems"] == .array([]))
      }
      // search: every hit knows its family's root; --roots gives one row per family.
      let hits = try await CommandRunner.run(["search", "red fox", "--json"], environment: environment)
      let rows = try hits.stdout.split(separator: "\n").map { try JSONParser.parse(Data($0.utf8)) }
      #expect(rows.count == 5)
      #expect(rows.allSatisfy { $0["rootId"]?.stringValue == grid })
      #expect(rows.first { $0["id"]?.stringValue == upscales[1] }?["parentId"]?.stringValue == grid)
      let families = try await CommandRunner.run(["search", "snow OR meadow", "--roots"], environment: environment)
      #expect(families.status == 0, "\(families.stderr)")
      let familyLines = families.stdout.split(separator: "\n")
      #expect(familyLines.count == 2)
      #expect(familyLines.contains { $0.hasPrefix("root \(grid)  5 hits") })
      #expect(familyLines.contains { $0.hasPrefix("root \(fifth)  3 hits") })
      let trace: [LineageStyle: String] = [
        .parentId: "parentId", .referencedMessage: "referenced message", .hashOnly: "job hash",
      ]
      #expect(first["tree"]?["children"]?.arrayValue?.first?["evidence"]?.stringValue == trace[style])
      if style == .parentId {
        // Graphviz reads the graph, prompt quotes, backslashes and markup included.
        let dot = try await CommandRunner.run(["lineage", lastPan, "--dot"], environment: environment)
        #expect(dot.status == 0, "\(dot.stderr)")
        let svg = try run("/usr/bin/dot", ["-Tsvg"], input: Data(dot.stdout.utf8))
        #expect(svg.contains("<svg"))
        #expect(svg.components(separatedBy: "class=\"node\"").count - 1 == 7)
        #expect(svg.components(separatedBy: "class=\"edge\"").count - 1 == 6)
        #expect(svg.contains("&lt;/script&gt;"))
        let text = try await CommandRunner.run(["lineage", zoomed], environment: environment)
        #expect(text.stdout.contains("└── Zoom Out 2x  \(zoomed)"))
        #expect(text.stdout.contains("\(zoomed)  ZOOM  SUCCESS"))
        #expect(text.stdout.split(separator: "\n").first { $0.contains(zoomed) }?.hasSuffix("◀") == true)
        let variationNode = upscaled["tree"]?["children"]?.arrayValue?.first
        #expect(variationNode?["index"] == .integer(2))
        #expect(variationNode?["button"] == .string("V2"))
      }
      _ = chosen
    }
  }
}

/// Bad lineage data imported from a file: reported by `lineage` and `reindex`, never followed.
@Suite struct LineageProblemCommandTests {
  @Test func loopsAndSelfParentsAreReportedNotFollowed() async throws {
    let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-bad-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: archive) }
    let sample = SharedFixtures.sample("task-upscale-success.json")
    var template = try #require(try JSONParser.parse(Data(contentsOf: sample)).objectValue)
    template["properties"] = .object(JSONObject())
    var lines = ""
    // 901 names itself; 902 and 903 name each other.
    for (id, parent) in [("901", "901"), ("902", "903"), ("903", "902")] {
      template["id"] = .string(id)
      template["parentId"] = .string(parent)
      lines += JSONValue.object(template).serialized() + "\n"
    }
    let file = archive.appendingPathExtension("jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(lines.utf8).write(to: file)
    let environment = ["MJARCHIVE_DIR": archive.path]
    let imported = try await CommandRunner.run(["import", file.path], environment: environment)
    #expect(imported.status == 0, "\(imported.stderr)")

    let alone = try await CommandRunner.run(["lineage", "901", "--explain"], environment: environment)
    #expect(alone.status == 0, "\(alone.stderr)")
    #expect(alone.stdout.contains("family of 901: 1 task"))
    #expect(alone.stdout.contains("problem: task 901 names itself as its parent (by parentId)"))
    #expect(alone.stdout.contains("901 ← 901  by parentId"))
    #expect(alone.stdout.contains("[ignored: names itself]"))
    let loop = try await CommandRunner.run(["lineage", "903"], environment: environment)
    #expect(loop.status == 0, "\(loop.stderr)")
    #expect(loop.stdout.contains("family of 902: 2 tasks") || loop.stdout.contains("family of 903: 2 tasks"))
    #expect(loop.stdout.contains("would close a loop"))
    let reindex = try await CommandRunner.run(["reindex"], environment: environment)
    #expect(reindex.status == 0, "\(reindex.stderr)")
    #expect(reindex.stdout.contains("lineage: task 901 names itself"))
    #expect(reindex.stdout.contains("would close a loop"))
  }
}
