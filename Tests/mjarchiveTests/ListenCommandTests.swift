import ArchiveStore
import Foundation
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Sync
import TestSupport
import Testing

/// `mjarchive listen` as a process: killed with SIGKILL at ten moments while callbacks arrive, it loses no task.
@Suite struct ListenCommandTests {
  /// Waits (up to two minutes) until `process` accepts connections on `port`.
  static func waitUntilListening(_ port: Int, _ process: Process) async throws {
    let deadline = ContinuousClock.now + .seconds(120)
    while !LoopbackPort.accepts(port) {
      guard process.isRunning, ContinuousClock.now < deadline else {
        Issue.record("listen did not start listening on \(port)")
        return
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  @Test func killedListenLosesNoTaskAndLeavesAVerifiedArchive() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-listen-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let token = "test-token-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    let tokenFile = folder.appendingPathComponent("token")
    try Data(token.utf8).write(to: tokenFile)
    let port = try LoopbackPort.free()
    var configuration = SimulatorConfiguration(taskSeconds: 0.6, imageSize: .small)
    configuration.queueCapacity = 1_000
    configuration.notifyHook = "http://127.0.0.1:\(port)/hook/\(token)"
    configuration.hookFaults = HookFaultPlan(duplicateRate: 0.1, reorder: true)
    try await SimulatorServer.withRunning(configuration) { server in
      let archive = folder.appendingPathComponent("archive")
      let store = try ArchiveStore(directory: archive)
      let transport = AsyncHTTPClientTransport()
      defer { Task { await transport.shutdown() } }
      let client = GatewayClient(
        configuration: try GatewayConfiguration(baseURL: server.baseURL, apiKey: nil, mode: .fast),
        transport: transport)
      let environment = ["MJ_BASE_URL": server.baseURL, "MJARCHIVE_DIR": archive.path]
      let log = folder.appendingPathComponent("listen.log")
      let arguments = [
        "listen", "--port", "\(port)", "--token-file", tokenFile.path, "--quiet-period", "1s", "--sync-every", "5s",
        "--rate", "0", "--log-file", log.path,
      ]
      // Submits go on, recorded first as the submit commands record them, while listen is killed and restarted.
      let submitting = Task {
        let submitter = Submitter(client: client, store: store)
        var ids: [String] = []
        for index in 0..<30 {
          ids.append(try await submitter.submit(.imagine(prompt: "kingfisher \(index)")).result.taskId)
          try await Task.sleep(for: .milliseconds(120))
        }
        return ids
      }
      // Each kill comes a moment after listen answers (a sanitizer build takes seconds to start), so callbacks
      // are arriving when it dies.
      var killed = 0
      for round in 0..<10 {
        let process = try CommandRunner.launch(arguments, environment: environment)
        try await Self.waitUntilListening(port, process)
        try await Task.sleep(for: .milliseconds(60 * round))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try await withoutBlockingThePool { process.waitUntilExit() }
        if process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL { killed += 1 }
      }
      #expect(killed == 10)
      var ids = try await submitting.value
      // The last start: its whole sync and the callbacks still arriving bring every task home; three more
      // submitted once it answers are told of by callbacks it receives.
      let process = try CommandRunner.launch(arguments, environment: environment)
      try await Self.waitUntilListening(port, process)
      let submitter = Submitter(client: client, store: store)
      for index in 0..<3 {
        ids.append(try await submitter.submit(.imagine(prompt: "late kingfisher \(index)")).result.taskId)
      }
      let deadline = ContinuousClock.now + .seconds(240)
      var missing = ids
      while ContinuousClock.now < deadline, !missing.isEmpty {
        try await Task.sleep(for: .milliseconds(200))
        missing = ids.filter { id in
          (try? store.details(id: id).images.filter { $0.kind == "quadrant" }.count) != 4
        }
      }
      kill(process.processIdentifier, SIGTERM)
      // It finishes its pass first: wait off the cooperative threads the simulator answers on.
      try await withoutBlockingThePool { process.waitUntilExit() }
      #expect(missing.isEmpty, "not archived: \(missing)")
      #expect(process.terminationStatus == 0)
      let verify = try await CommandRunner.run(["verify"], environment: environment)
      #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
      let logged = try String(contentsOf: log, encoding: .utf8)
      #expect(logged.contains("stored"))
      #expect(!logged.contains(token))
      #expect(try store.stats().callbacks.received > 0)
    }
  }

  @Test func submitCommandsSendTheAddressListenGaveTheArchive() async throws {
    try await SimulatedGateway.run { environment, gateway in
      let printed = try await CommandRunner.run(
        ["listen", "--print-url", "--port", "8799", "--public-url", "http://192.0.2.7:8799/"], environment: environment)
      #expect(printed.status == 0, "\(printed.stderr)")
      let url = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(url.hasPrefix("http://192.0.2.7:8799/hook/") && url.count == "http://192.0.2.7:8799/hook/".count + 43)
      let hooked = try await CommandRunner.run(["imagine", "a hooked fox", "--json"], environment: environment)
      let plain = try await CommandRunner.run(
        ["imagine", "a plain fox", "--notify-hook", "none", "--json"], environment: environment)
      let chosen = try await CommandRunner.run(
        ["imagine", "a fox", "--notify-hook", "https://hooks.example/x"], environment: environment)
      #expect(hooked.status == 0 && plain.status == 0 && chosen.status == 0, "\(hooked.stderr)\(plain.stderr)")
      let hooks = try gateway.taskIds.map { id -> String in
        let request = SimulatorRequest(
          method: "GET", uri: "/mj/task/\(id)/fetch", headers: [("Authorization", "Bearer " + SimulatedGateway.key)])
        let task = try GatewayTask(raw: gateway.respond(to: request).body)
        return task.json["properties"]?["notifyHook"]?.stringValue ?? ""
      }
      #expect(hooks == [url, "", "https://hooks.example/x"])
      let refused = try await CommandRunner.run(
        ["imagine", "a fox", "--notify-hook", "file:///etc/passwd"], environment: environment)
      #expect(refused.status == 2)
    }
  }
}
