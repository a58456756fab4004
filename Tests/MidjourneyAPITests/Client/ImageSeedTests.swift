import Foundation
import GatewayHTTP
import Simulator
import Testing

@testable import MidjourneyAPI

/// `GET /mj/task/{id}/image-seed` against the simulator's .NET-style route: each answer the gateway gives.
@Suite struct ImageSeedTests {
  private let client = GatewayClientTests()

  @Test func aFinishedGridHasASeedAndOthersSayWhyNot() async throws {
    try await client.withClient { client, gateway in
      let grid = try await client.imagine(prompt: "a fox --seed 1234").taskId
      guard case .seed(let written) = try await client.imageSeed(id: grid) else {
        Issue.record("no seed")
        return
      }
      #expect(written == "1234")
      let other = try await client.imagine(prompt: "a heron").taskId
      guard case .seed(let own) = try await client.imageSeed(id: other) else {
        Issue.record("no seed")
        return
      }
      #expect(UInt32(own) != nil)
      #expect(try await client.imageSeed(id: "1999999999999999") == .unknownTask)
      let png = "data:image/png;base64," + Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString()
      let described = try await client.describe(image: png).taskId
      #expect(try await client.imageSeed(id: described) == .noMessageHash)
      #expect(gateway.receivedRequests.contains("GET /mj-fast/mj/task/\(grid)/image-seed"))
    }
  }

  @Test func aGatewayWithoutTheRouteSaysSoAndALyingOneIsNotBelieved() async throws {
    var configuration = SimulatorConfiguration(apiKey: GatewayClientTests.key, taskSeconds: 0, imageSize: .small)
    configuration.offersImageSeedRoute = false
    try await client.withClient(configuration) { client, _ in
      let grid = try await client.imagine(prompt: "a fox").taskId
      #expect(try await client.imageSeed(id: grid) == .unsupported)
    }
    try await client.withClient { client, gateway in
      let grid = try await client.imagine(prompt: "a fox").taskId
      for _ in 0..<4 {
        gateway.inject(.replacedBody(Data(#"{"code":1,"result":"../../etc"}"#.utf8)), on: .fetch)
      }
      let error = await #expect(throws: GatewayError.self) { try await client.imageSeed(id: grid) }
      #expect(error?.description.contains("as the seed of task") == true)
      await #expect(throws: GatewayError.self) { try await client.imageSeed(id: "../x") }
    }
  }
}
