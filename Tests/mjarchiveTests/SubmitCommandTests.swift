import Foundation
import MidjourneyAPI
import Simulator
import TestSupport
import Testing

/// The binary end to end against the simulator on a free port of 127.0.0.1.
@Suite struct SubmitCommandTests {
  @Test func imagineWaitActionAndModalFromTheCommandLine() async throws {
    try await SimulatedGateway.run { environment, _ in
      let imagine = try await CommandRunner.run(
        ["imagine", "red fox in snow --ar 1:1", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      #expect(imagine.status == 0, "\(imagine.stderr)")
      let object = try JSONParser.parse(Data(imagine.stdout.utf8))
      let grid = try GatewayTask(json: try #require(object["task"]), raw: Data())
      #expect(grid.status == .success)
      #expect(object["response"]?["result"]?.textValue == grid.id)

      let upscale = try await CommandRunner.run(
        ["action", grid.id, "U2", "--wait", "--poll-interval", "0.1"], environment: environment)
      #expect(upscale.status == 0, "\(upscale.stderr)")
      #expect(upscale.stdout.contains("UPSCALE SUCCESS"))
      #expect(upscale.stdout.contains("parent:  \(grid.id)"))
      let upscaleId = try #require(
        upscale.stdout.split(separator: "\n").first?.split(separator: " ").dropFirst(5).first)

      let zoom = try await CommandRunner.run(
        ["action", String(upscaleId), "Custom Zoom", "--json"], environment: environment)
      #expect(zoom.status == 0, "\(zoom.stderr)")
      let zoomObject = try JSONParser.parse(Data(zoom.stdout.utf8))
      #expect(zoomObject["outcome"] == .string("waiting for modal"))
      let waitingId = try #require(zoomObject["taskId"]?.stringValue)
      let modal = try await CommandRunner.run(
        ["modal", waitingId, "--prompt", "red fox --zoom 1.5", "--wait", "--poll-interval", "0.1"],
        environment: environment)
      #expect(modal.status == 0, "\(modal.stderr)")
      #expect(modal.stdout.contains("ZOOM SUCCESS"))

      let shown = try await CommandRunner.run(["show", upscaleIdText(upscale.stdout)], environment: environment)
      #expect(shown.status == 0, "\(shown.stderr)")
      #expect(shown.stdout.contains("known from:   submit"))
      #expect(shown.stdout.contains("parent        \(grid.id) (U2, by submitted here)"))
      let raw = try await CommandRunner.run(["show", grid.id, "--json"], environment: environment)
      #expect(try GatewayTask(raw: Data(raw.stdout.utf8)).id == grid.id)
      let found = try await CommandRunner.run(["search", "fox", "--json"], environment: environment)
      #expect(found.stdout.split(separator: "\n").count == 3)
      let stats = try await CommandRunner.run(["stats", "--json"], environment: environment)
      #expect(try JSONParser.parse(Data(stats.stdout.utf8))["tasks"] == .number("3"))
    }
  }

  private func upscaleIdText(_ stdout: String) -> String {
    String(stdout.split(separator: "\n").first?.split(separator: " ").dropFirst(5).first ?? "")
  }

  @Test func aWrongKeyExitsThreeAndTheKeyIsNeverPrinted() async throws {
    try await SimulatedGateway.run { environment, _ in
      let wrong = "sk-wrong-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
      let outcome = try await CommandRunner.run(
        ["imagine", "cat", "--wait"], environment: environment.merging(["MJ_API_KEY": wrong]) { $1 })
      #expect(outcome.status == 3)
      #expect(outcome.stderr.contains("refused the API key"))
      #expect(outcome.stderr.split(separator: "\n").count == 1)
      for secret in [wrong, SimulatedGateway.key] {
        #expect(!outcome.stdout.contains(secret))
        #expect(!outcome.stderr.contains(secret))
      }
      let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-key-\(UUID().uuidString)")
      try Data((wrong + "\n").utf8).write(to: keyFile)
      defer { try? FileManager.default.removeItem(at: keyFile) }
      let fromFile = try await CommandRunner.run(
        ["imagine", "cat", "--api-key-file", keyFile.path], environment: ["MJ_BASE_URL": environment["MJ_BASE_URL"]!])
      #expect(fromFile.status == 3)
      #expect(!fromFile.stderr.contains(wrong))
    }
  }

  @Test func refusalsAndFailuresExitWithTheirCodes() async throws {
    try await SimulatedGateway.run { environment, gateway in
      let banned = try await CommandRunner.run(["imagine", "a banned thing"], environment: environment)
      #expect(banned.status == 3)
      #expect(banned.stderr.contains("banned word \"banned\""))
      let failed = try await CommandRunner.run(
        ["imagine", "make it fail", "--wait", "--poll-interval", "0.1"], environment: environment)
      #expect(failed.status == 1)
      #expect(failed.stderr.contains("failed on the gateway: [Invalid parameter] Invalid value"))
      let missing = try await CommandRunner.run(["action", "123456", "U1"], environment: environment)
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("no task 123456"))
      gateway.inject(.htmlError(status: 502), on: .submit)
      let html = try await CommandRunner.run(["imagine", "cat"], environment: environment)
      #expect(html.status == 1)
      // A 502 page may come from a proxy after the gateway took the submit: the task may exist.
      #expect(
        html.stderr.hasPrefix(
          "mjarchive: the imagine may have reached the gateway, but its answer was lost (HTTP 502 with an HTML page)"))
    }
  }

  @Test func usageErrorsExitTwo() async throws {
    let noGateway = try await CommandRunner.run(["imagine", "cat"])
    #expect(noGateway.status == 2)
    #expect(noGateway.stderr.contains("set MJ_BASE_URL"))
    let hostileId = try await CommandRunner.run(
      ["action", "../../etc/passwd", "U1"], environment: ["MJ_BASE_URL": "http://127.0.0.1:9"])
    #expect(hostileId.status == 2)
    let badMode = try await CommandRunner.run(
      ["imagine", "cat", "--mode", "warp"], environment: ["MJ_BASE_URL": "http://127.0.0.1:9"])
    #expect(badMode.status == 2)
    let emptyPrompt = try await CommandRunner.run(["imagine", "  "])
    #expect(emptyPrompt.status == 2)
    let unknown = try await CommandRunner.run(["frobnicate"])
    #expect(unknown.status == 2)
    let badImage = try await CommandRunner.run(
      ["imagine", "cat", "--image", "/nonexistent.png"], environment: ["MJ_BASE_URL": "http://127.0.0.1:9"])
    #expect(badImage.status == 1)
    #expect(badImage.stderr.contains("cannot use image /nonexistent.png"))
  }

  @Test func anUnreachableGatewaySaysConnectionRefused() async throws {
    let port = try await SimulatorServer.withRunning(SimulatorConfiguration()) { $0.port }
    let outcome = try await CommandRunner.run(
      ["imagine", "cat"], environment: ["MJ_BASE_URL": "http://127.0.0.1:\(port)"])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("connection refused"))
  }

  @Test func demoRunsTheWholeFlow() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-demo-test-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let outcome = try await CommandRunner.run([
      "demo", "--task-seconds", "0.2", "--image-size", "small", "--out", folder.path,
    ])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.contains("IMAGINE SUCCESS"))
    #expect(outcome.stdout.contains("UPSCALE SUCCESS"))
    #expect(outcome.stderr.isEmpty)
    let quadrants = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("images/quadrants").path)
    #expect(quadrants.count == 20)  // two imagines, a variation, a zoom and the fox again that came by callback
    #expect(quadrants.filter { $0.hasSuffix("-2.png") }.count == 5)
    let originals = try FileManager.default.subpathsOfDirectory(
      atPath: folder.appendingPathComponent("images/originals").path)
    #expect(originals.filter { $0.hasSuffix(".png") }.count == 6)
    #expect(outcome.stdout.contains("5 images"))
    #expect(outcome.stdout.contains("with no sync"))
    #expect(outcome.stdout.contains("1 task fetched"))
    #expect(outcome.stdout.contains("ZOOM SUCCESS"))
    #expect(outcome.stdout.contains("VARIATION SUCCESS"))
    // Found by picture: the upscale's nearest is the quadrant it came from, the same scene with its own grain.
    let lines = outcome.stdout.split(separator: "\n")
    let nearest = lines.drop { !$0.hasPrefix("8. find by picture") }.dropFirst().first ?? ""
    let distance = Int(nearest.split(separator: " ").first ?? "") ?? 99
    #expect(distance <= 10 && nearest.contains(":2 "), "\(nearest)")
    let search = try await CommandRunner.run(["search", "fox", "--archive", folder.path])
    #expect(search.stdout.split(separator: "\n").count == 5)
    // The fox made twice with one seed: the same picture under two ids, so near-identical groups exist.
    #expect(outcome.stdout.contains("(the fox made twice with one seed)"))
    let twins = lines.drop { !$0.hasPrefix("8. find by picture") }.dropFirst().prefix(2)
    #expect(twins.count == 2 && twins.allSatisfy { $0.contains(":2 ") }, "\(twins)")
    // The pictures in year/month folders, each PNG with its prompt inside.
    let files = folder.appendingPathComponent("files")
    let pictures = try FileManager.default.subpathsOfDirectory(atPath: files.path).filter { $0.hasSuffix(".png") }
    #expect(pictures.count == 6)
    #expect(pictures.allSatisfy { $0.split(separator: "/").count == 3 })  // year/month/name
    let fox = try #require(pictures.first { $0.contains("fox") })
    let description = try run(
      "/usr/bin/exiftool", ["-s3", "-XMP-dc:Description", files.appendingPathComponent(fox).path])
    #expect(description.contains("fox"))
    #expect(outcome.stdout.contains("6 pictures under \(files.path)"))
    let gallery = folder.appendingPathComponent("gallery/index.html").path
    #expect(outcome.stdout.hasSuffix("The gallery, to open in a browser: \(gallery)\n"))
    #expect(FileManager.default.fileExists(atPath: gallery))
  }

  @Test func helpListsEveryCommand() async throws {
    let outcome = try await CommandRunner.run(["--help"])
    #expect(outcome.status == 0)
    for command in ["imagine", "blend", "describe", "shorten", "action", "modal", "simulator", "demo"] {
      #expect(outcome.stdout.contains(command))
    }
  }
}
