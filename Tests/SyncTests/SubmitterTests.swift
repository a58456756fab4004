import ArchiveStore
import Foundation
import GatewayHTTP
import MidjourneyAPI
import Simulator
import Testing

@testable import Sync

/// Submits recorded before they are sent, and found again when their answer is lost.
@Suite struct SubmitterTests {
  static let key = syncTestKey

  /// A submitter on a fresh archive, against the simulator.
  func withSubmitter(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(
      apiKey: syncTestKey, taskSeconds: 0, imageSize: .small),
    _ body: (Submitter, SimulatorGateway) async throws -> Void
  ) async throws {
    try await withSyncFixture(configuration) { fixture in
      try await body(Submitter(client: fixture.client, store: fixture.store), fixture.gateway)
    }
  }

  /// Regression: 8 submits with cut answers made 8 gateway tasks, of which 2 were missing from the archive.
  @Test func everySubmitEndsUpInTheArchiveEvenWhenItsAnswerIsCut() async throws {
    var configuration = SimulatorConfiguration(apiKey: Self.key, taskSeconds: 0, imageSize: .small)
    configuration.faults = FaultPlan(scripted: [
      (.submit, .truncatedJSON), (.submit, .truncatedJSON), (.submit, .truncatedBody),
    ])
    try await withSubmitter(configuration) { submitter, gateway in
      var lost: [String] = []
      for index in 1...8 {
        do throws(GatewayError) {
          _ = try await submitter.submit(.imagine(prompt: "fox \(index)"))
        } catch {
          guard case .submitOutcomeUnknown(let route, let state, _) = error else {
            Issue.record("unexpected \(error)")
            continue
          }
          #expect(route == "imagine")
          #expect(error.description.contains("mjarchive track --pending"))
          lost.append(state)
        }
      }
      #expect(lost.count == 3)
      #expect(gateway.taskIds.count == 8)
      let pending = try submitter.store.pendingSubmissions()
      #expect(pending.map(\.state) == lost)
      let report = try await SubmissionReconciler(client: submitter.client, store: submitter.store).reconcile()
      #expect(report.found.count == 3)
      #expect(try submitter.store.pendingSubmissions().isEmpty)
      for id in gateway.taskIds {
        #expect(try submitter.store.details(id: id).knownFrom == "submit")
      }
    }
  }

  @Test func aRefusedConnectionIsRecordedAsNotSent() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-sync-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try ArchiveStore(directory: folder)
    let transport = AsyncHTTPClientTransport()
    defer { Task { await transport.shutdown() } }
    // Port 1 on loopback: nothing listens, so the connection is refused.
    let client = GatewayClient(
      configuration: try GatewayConfiguration(baseURL: "http://127.0.0.1:1", apiKey: nil), transport: transport,
      retryPolicy: RetryPolicy(maximumAttempts: 2, sleep: { _ in }))
    let error = await #expect(throws: GatewayError.self) {
      _ = try await Submitter(client: client, store: store).submit(.imagine(prompt: "fox", state: "mine"))
    }
    guard case .connectionRefused? = error else {
      Issue.record("expected connectionRefused, got \(String(describing: error))")
      return
    }
    #expect(try store.pendingSubmissions().isEmpty)
  }

  @Test func aSubmitNotListedAfterTheGracePeriodIsGivenUp() async throws {
    try await withSubmitter { submitter, gateway in
      // Recorded as sent, but the gateway never saw it (the process died before sending).
      try submitter.store.recordSending(.imagine(prompt: "fox", state: "never-sent"))
      let reconciler = SubmissionReconciler(client: submitter.client, store: submitter.store)
      let soon = try await reconciler.reconcile()
      #expect(soon.stillPending.map(\.state) == ["never-sent"])
      let later = try await reconciler.reconcile(now: Date().addingTimeInterval(2 * 24 * 3600))
      #expect(later.notFound.map(\.state) == ["never-sent"])
      #expect(try submitter.store.pendingSubmissions().isEmpty)
      #expect(gateway.taskIds.isEmpty)
    }
  }
}
