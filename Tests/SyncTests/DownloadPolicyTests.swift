import ArchiveStore
import Foundation
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Testing

@testable import Sync

/// Where image downloads may go: links and redirects to this machine's other services are refused.
@Suite struct DownloadPolicyTests {
  let policy: DownloadPolicy

  init() throws {
    policy = DownloadPolicy(
      gateway: try #require(URL(string: "http://127.0.0.1:8080")), imageHost: "img.example.com",
      authorization: "Bearer sk-x")
  }

  @Test(arguments: [
    "file:///etc/passwd", "ftp://127.0.0.1/x", "http://127.0.0.1:9000/admin", "http://localhost:22/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]:8081/", "http://2130706433:9000/", "http://0.0.0.0:8080/",
    "http://[::ffff:127.0.0.1]:9000/",
  ])
  func linksToOtherLocalServicesAreRefused(link: String) throws {
    #expect(policy.refusal(for: try #require(URL(string: link))) != nil)
  }

  @Test(arguments: [
    "http://127.0.0.1:8080/mj/image/1", "http://localhost:8080/attachments/1/2/a.png",
    "https://img.example.com/attachments/1/2/a.png", "https://cdn.discordapp.com/attachments/1/2/a.png",
  ])
  func theGatewayAndImageHostsAreFetched(link: String) throws {
    #expect(policy.refusal(for: try #require(URL(string: link))) == nil)
  }

  @Test func theKeyGoesOnlyToTheGatewaysOrigin() throws {
    #expect(policy.authorization(for: try #require(URL(string: "http://127.0.0.1:8080/mj/image/1"))) == "Bearer sk-x")
    #expect(policy.authorization(for: try #require(URL(string: "http://127.0.0.1:8081/mj/image/1"))) == nil)
    #expect(policy.authorization(for: try #require(URL(string: "https://img.example.com/a.png"))) == nil)
  }

  /// Regression: a host rebound between the policy's check and the connection got past the check.
  ///
  /// The policy resolved a host to check it, then the HTTP client resolved it again, so an answer that changed in
  /// between (rebound to 127.0.0.1) got past the check. A download now connects to the address checked.
  @Test func aDownloadConnectsToTheAddressThePolicyChecked() async throws {
    let elsewhere = try #require(URL(string: "http://93.184.216.34/a.png"))
    #expect(policy.destination(for: elsewhere).refusal == nil)
    #expect(policy.destination(for: elsewhere).address == "93.184.216.34")
    // The gateway and the image host are trusted as they are: nothing to pin.
    #expect(policy.destination(for: try #require(URL(string: "http://127.0.0.1:8080/mj/image/1"))).address == nil)
    #expect(policy.destination(for: try #require(URL(string: "http://localhost:22/"))).refusal != nil)
    try await SimulatorServer.withRunning(SimulatorConfiguration(apiKey: "k", taskSeconds: 0)) { server in
      let port = try #require(URL(string: server.baseURL)?.port)
      let transport = AsyncHTTPClientTransport()
      // A name that never resolves reaches the server only through the address given.
      var request = TransportRequest(
        method: "GET", url: try #require(URL(string: "http://pinned.invalid:\(port)/mj/task/list")))
      await #expect(throws: TransportError.self) { _ = try await transport.download(request) { _ in } }
      request.connectTo = "127.0.0.1"
      let response = try await transport.download(request) { _ in }
      #expect(response.status == 401)
      await transport.shutdown()
    }
  }

  /// Syncs one finished task whose image answer is replaced by `faults`, and returns the run's report.
  private func syncThrough(_ faults: (String) -> [Fault]) async throws -> (SyncReport, SyncFixture.Outcome) {
    var result: (SyncReport, SyncFixture.Outcome)?
    try await withSyncFixture { fixture in
      let id = try #require(fixture.gateway.seedFinishedTasks(count: 1).first)
      try fixture.store.track([id])
      let link = try #require(try await fixture.client.fetch(id: id).imageUrl)
      for fault in faults(link) { fixture.gateway.inject(fault, on: .image) }
      let report = try await fixture.sync()
      let stored: Int = try #require(
        try fixture.rows("SELECT count(*) AS n FROM images WHERE kind = 'original'").first)["n"]
      let imageRequests = fixture.gateway.receivedRequests.filter { $0.contains("/attachments/") }.count
      result = (report, SyncFixture.Outcome(originals: stored, imageRequests: imageRequests))
    }
    return try #require(result)
  }

  @Test func aRedirectIsFollowedToAnAllowedPlace() async throws {
    let (report, outcome) = try await syncThrough { [.redirect(location: $0 + "&hop=1")] }
    #expect(report.failures.isEmpty, "\(report.failures)")
    #expect(outcome.originals == 1)
    #expect(outcome.imageRequests >= 2)
  }

  @Test func aRedirectToALoopbackAdminPortIsRefused() async throws {
    // Twice: async-http-client may resend a GET whose pooled connection the server had closed.
    let (report, outcome) = try await syncThrough { _ in
      [.redirect(location: "http://127.0.0.1:1/admin"), .redirect(location: "http://127.0.0.1:1/admin")]
    }
    #expect(
      report.failures.map(\.reason).first?.hasPrefix("the image link is not followed: 127.0.0.1:1 is 127.0.0.1") == true
    )
    #expect(outcome.originals == 0)
  }

  @Test func aRedirectLoopEnds() async throws {
    let (report, outcome) = try await syncThrough { link in
      [.redirect(location: link + "&hop=1"), .redirect(location: link), .redirect(location: link)]
    }
    #expect(report.failures.map(\.reason) == ["the image link redirects in a loop"])
    #expect(outcome.originals == 0)
    #expect(outcome.imageRequests >= 2)
  }

  @Test func endlessRedirectsEnd() async throws {
    let (report, _) = try await syncThrough { link in (1...8).map { .redirect(location: link + "&hop=\($0)") } }
    #expect(report.failures.map(\.reason) == ["the image link redirects more than 5 times"])
  }
}
