import ArchiveStore
import Foundation
import Listen
import MidjourneyAPI
import Simulator
import Testing

@Suite("Listener against the simulator's callbacks")
struct ListenerTests {
  @Test("50 tasks with lost, repeated and late callbacks are all archived; the periodic sync finds the silent ones")
  func everyTaskArrivesDespiteHookFaults() async throws {
    var simulator = SimulatorConfiguration(taskSeconds: 1.5, imageSize: .small)
    simulator.queueCapacity = 100
    simulator.hookFaults = HookFaultPlan(dropRate: 0.2, duplicateRate: 0.2, reorder: true, delayMilliseconds: 20)
    try await withListener(simulator, configure: { $0.syncEvery = .seconds(4) }) { fixture in
      var ids: [String] = []
      for index in 1...50 { ids.append(try await fixture.imagine("fox \(index) in snow")) }
      let archived = try await fixture.waitUntilArchived(ids, within: 180)
      #expect(archived.count == 50, "missing: \(Set(ids).subtracting(archived).sorted())")
      let counts = fixture.gateway.hookCounts
      #expect(counts.dropped > 0)
      #expect(counts.duplicated > 0)
      #expect(counts.late > 0)
    }
  }

  @Test("With no callback lost, a task costs at most 1.2 fetches, and repeats and late progress cost none")
  func aTaskCostsOneFetch() async throws {
    var simulator = SimulatorConfiguration(taskSeconds: 1, imageSize: .small)
    simulator.hookFaults = HookFaultPlan(duplicateRate: 0.3, reorder: true)
    try await withListener(simulator, configure: { $0.quietPeriod = .seconds(5) }) { fixture in
      var ids: [String] = []
      for index in 1...20 { ids.append(try await fixture.imagine("owl \(index)")) }
      let archived = try await fixture.waitUntilArchived(ids, within: 180)
      #expect(archived.count == 20)
      // Late and repeated callbacks still arriving are answered without a fetch.
      try await Task.sleep(for: .milliseconds(500))
      let callbacks = try fixture.store.stats().callbacks
      #expect(callbacks.fetched <= 24, "\(callbacks)")
      #expect(callbacks.coalesced > 0 || callbacks.received > callbacks.fetched)
    }
  }

  /// Timing decides it, so it runs in the plain test run only.
  ///
  /// Under a sanitizer (`Scripts/sanitize.sh` sets ASAN_OPTIONS or TSAN_OPTIONS) a loaded machine made the quick
  /// task itself take over a minute.
  @Test(
    "A task finishing while a pass is slow on another's image comes home in a pass of its own, beside it",
    .disabled(
      if: ["ASAN_OPTIONS", "TSAN_OPTIONS"].contains { ProcessInfo.processInfo.environment[$0] != nil },
      "a sanitizer build is too slow to tell overlapping passes from queued ones"))
  func passesOverlap() async throws {
    try await withListener { fixture in
      // The first image download is held up for 25 s (within the download timeout).
      fixture.gateway.inject(.slow(seconds: 25), on: .image)
      let slow = try await fixture.imagine("slow egret")
      let deadline = ContinuousClock.now + .seconds(60)
      // Its pass has stored the finished task and waits on the image.
      while ContinuousClock.now < deadline, (try? fixture.store.tasksToFetch(among: [slow]).isEmpty) != true {
        try await Task.sleep(for: .milliseconds(25))
      }
      let quick = try await fixture.imagine("quick egret")
      #expect(try await fixture.waitUntilArchived([quick], within: 120) == [quick])
      #expect(!fixture.isArchived(slow), "the quick task waited for the slow one's pass")
      #expect(try await fixture.waitUntilArchived([slow], within: 120) == [slow])
    }
  }

  @Test("Strangers get a bare 404, big, slow and malformed bodies are refused, and nothing they say is stored")
  func hostileCallersStoreNothing() async throws {
    try await withListener(configure: { $0.idleTimeout = .seconds(1) }) { fixture in
      // A real task, finished on the gateway, that no callback told the listener about.
      let real = try await fixture.imagine("quiet heron", hook: false)
      try await Task.sleep(for: .milliseconds(1_200))
      let json = Data(#"{"id":"\#(real)","status":"SUCCESS"}"#.utf8)

      for (path, method) in [
        ("/hook/" + String(repeating: "a", count: 43), "POST"), ("/hook/", "POST"), ("/", "POST"),
        ("/hook", "POST"), (fixture.token.path, "GET"), (fixture.token.path + "x", "POST"),
      ] {
        let answer = try await fixture.post(json, path: path, method: method)
        #expect(answer.status == 404, "\(method) \(path)")
        #expect(answer.body.isEmpty)
      }
      // A 10 MiB body is refused from its head, without being read: the answer comes before the body is sent.
      let big = try RawConnection(port: fixture.port)
      try big.send(
        "POST \(fixture.token.path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: \(10 << 20)\r\n\r\n")
      let bigAnswer = try await big.readAnswer(within: .seconds(60))
      #expect(bigAnswer.hasPrefix("HTTP/1.1 413"), "\(bigAnswer)")
      let chunked = try RawConnection(port: fixture.port)
      try chunked.send(
        "POST \(fixture.token.path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n")
      let chunk = String(repeating: "x", count: 1 << 16)
      for _ in 0..<20 { try? chunked.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
      // The 413 may be lost to the reset that closing on unread bytes makes; either way the connection ends.
      let refusal = try await chunked.readAnswer(within: .seconds(60))
      #expect(refusal.isEmpty || refusal.hasPrefix("HTTP/1.1 413"), "\(refusal)")
      #expect(try await chunked.readUntilClosed(within: .seconds(60)))
      #expect(try await fixture.post(json, contentType: "text/plain").status == 415)
      for body in ["not json", "[]", #"{"status":"SUCCESS"}"#, #"{"id":"../../etc/passwd"}"#, "{\"id\":"] {
        #expect(try await fixture.post(Data(body.utf8)).status == 400, "\(body)")
      }
      #expect(try fixture.store.stats().tasks == 0)

      // A forged payload: the real id with another picture and prompt, and an id the gateway does not have.
      let forged = #"""
        {"id":"\#(real)","status":"SUCCESS","prompt":"<script>alert(1)</script>","imageUrl":"file:///etc/passwd",
         "properties":{"finalPrompt":"forged"}}
        """#
      #expect(try await fixture.post(Data(forged.utf8)).status == 204)
      #expect(try await fixture.post(Data(#"{"id":"77777777777777777","status":"SUCCESS"}"#.utf8)).status == 204)
      _ = try await fixture.waitUntilArchived([real], within: 120)
      let stored = try #require(try fixture.store.details(id: real).task)
      #expect(stored.prompt == "quiet heron")
      #expect(stored.imageUrl?.hasPrefix("http://127.0.0.1:") == true)
      #expect(throws: StoreError.self) { try fixture.store.details(id: "77777777777777777") }
      #expect(try fixture.store.stats().tasks == 1)
      #expect(try fixture.store.stats().callbacks.rejected >= 13)
    }
  }

  @Test("A flood from a stranger and a stalled connection do not hold real callbacks back")
  func floodAndStallDoNotBlock() async throws {
    try await withListener(configure: { $0.idleTimeout = .seconds(1) }) { fixture in
      let stalled = try RawConnection(port: fixture.port)
      try stalled.send("POST /hook/")
      async let flood: Void = withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<8 {
          group.addTask {
            for index in 0..<125 {
              _ = try await fixture.post(Data("{\"id\":\"\(worker)\(index)\"}".utf8), path: "/hook/guess\(index)")
            }
          }
        }
        try await group.waitForAll()
      }
      let id = try await fixture.imagine("red fox")
      try await flood
      #expect(try await fixture.waitUntilArchived([id], within: 120).count == 1)
      try await Task.sleep(for: .milliseconds(300))
      #expect(try fixture.store.stats().callbacks.rejected >= 1_000)
      // The stalled connection was closed by the server: reading gives the end of the stream.
      #expect(try await stalled.readUntilClosed(within: .seconds(60)))
    }
  }
}
