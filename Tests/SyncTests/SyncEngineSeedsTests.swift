import ArchiveStore
import Foundation
import MidjourneyAPI
import Simulator
import Testing

@testable import Sync

/// `sync --seeds` against the simulator: each grid's seed asked once, a gateway without the route asked once ever.
@Suite struct SyncEngineSeedsTests {
  private static var seeding: SyncOptions {
    var options = SyncFixture.fast
    options.seeds = true
    options.seedsPerSecond = 10
    return options
  }

  private func seedRequests(_ fixture: SyncFixture) -> Int {
    fixture.gateway.receivedRequests.filter { $0.hasSuffix("/image-seed") }.count
  }

  @Test func eachGridsSeedIsAskedOnceAndFoundBySearch() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(2)  // two grids and an upscale
      let first = try await fixture.sync(Self.seeding)
      #expect(first.failures.isEmpty, "\(first.failures)")
      #expect(first.seedsRecorded == 2)
      #expect(seedRequests(fixture) == 2)  // the upscale is no grid: not asked
      let again = try await fixture.sync(Self.seeding)
      #expect(again.seedsRecorded == 0 && seedRequests(fixture) == 2)
      let seed = try #require(try fixture.store.seed(of: ids[0]))
      var query = SearchQuery()
      query.seed = seed
      #expect(try fixture.store.search(query).map(\.id).contains(ids[0]))
      #expect(try fixture.store.details(id: ids[0]).text.contains("seed          \(seed) (the gateway's"))
      #expect(try fixture.store.archivedTasks(among: [ids[0]]).first?.seed == seed)
      // Without --seeds nothing is asked.
      _ = try await fixture.makeTasks(1)
      _ = try await fixture.sync()
      #expect(seedRequests(fixture) == 2)
    }
  }

  @Test func aGatewayWithoutTheRouteIsAskedOnceUntilSeedsAreTurnedOnAgain() async throws {
    var configuration = SimulatorConfiguration(apiKey: syncTestKey, taskSeconds: 0, imageSize: .small)
    configuration.offersImageSeedRoute = false
    try await withSyncFixture(configuration) { fixture in
      _ = try await fixture.makeTasks(3)
      let first = try await fixture.sync(Self.seeding)
      #expect(first.failures.isEmpty && first.seedsRecorded == 0)
      #expect(seedRequests(fixture) == 1)
      _ = try await fixture.sync(Self.seeding)
      #expect(seedRequests(fixture) == 1)
      try fixture.store.rememberAsksForSeeds(true)
      _ = try await fixture.sync(Self.seeding)
      #expect(seedRequests(fixture) == 2)
    }
  }

  /// A lookup the gateway says failed (code 9: no private channel) is one failure, and asked again by the next run.
  @Test func aFailedLookupIsAskedAgainNextRun() async throws {
    try await withSyncFixture { fixture in
      let ids = try await fixture.makeTasks(2)
      _ = try await fixture.sync()
      fixture.gateway.inject(
        .replacedBody(Data(#"{"code":9,"description":"seed lookup failed: no private channel"}"#.utf8)), on: .fetch)
      let failed = try await fixture.sync(Self.seeding)
      #expect(failed.failures.count == 1 && failed.seedsRecorded == 0)
      #expect(failed.failures.first?.reason.contains("no private channel") == true)
      #expect(try fixture.store.seed(of: ids[0]) == nil && seedRequests(fixture) == 1)
      let next = try await fixture.sync(Self.seeding)
      #expect(next.failures.isEmpty && next.seedsRecorded == 2)
    }
  }
}
