import ArchiveStore
import Foundation
import GridImage
import MidjourneyAPI
import Simulator
import Sync
import TestSupport
import Testing

/// How well the hashes tell the same picture from another, on lineage's ground truth: an upscale is its grid's
/// quadrant again (issue 27's evaluation, on the simulator's archive; `bench/similar-accuracy.sh` runs a larger set
/// beside the peers).
@Suite struct SimilarAccuracyTests {
  /// Every upscale, and a half-size copy of each quadrant upscaled, is within `similar`'s default distance of the
  /// quadrant it came from; quadrants of different families, rerolls of one prompt among them, are not.
  @Test func upscalesAreNearTheirQuadrantsAndOtherFamiliesAreNot() async throws {
    let size = SimulatedImageSize(width: 512, height: 512)
    try await SimulatedGateway.run(
      SimulatorConfiguration(apiKey: SimulatedGateway.key, taskSeconds: 0.3, imageSize: size)
    ) {
      environment, _ in
      var grids: [String] = []
      // Three grids of each prompt: different compositions on one theme, as a reroll gives.
      for prompt in Array(repeating: "a red fox in snow", count: 3) + Array(repeating: "an owl at dusk", count: 3) {
        grids.append(try await Self.taskId(["imagine", prompt, "--wait", "--poll-interval", "0.1"], environment))
      }
      var upscales: [(id: String, grid: String, part: Int)] = []
      for grid in [grids[0], grids[3]] {
        for part in 1...4 {
          let id = try await Self.taskId(["action", grid, "U\(part)", "--wait", "--poll-interval", "0.1"], environment)
          upscales.append((id, grid, part))
        }
      }
      #expect(try await CommandRunner.run(["sync"], environment: environment).status == 0)
      let archive = URL(fileURLWithPath: try #require(environment["MJARCHIVE_DIR"]))
      let pictures = try ArchiveStore(directory: archive).hashedImages()
      func hashes(_ task: String, _ part: Int) throws -> ImageHashes {
        try #require(pictures.first { $0.taskId == task && $0.part == part }).hashes
      }
      // By `similar`'s default: both hashes within the distance.
      let limit = HashIndex.similarDistance
      func distance(_ first: ImageHashes, _ second: ImageHashes) -> Int {
        max(PerceptualHash.distance(first.pHash, second.pHash), PerceptualHash.distance(first.dHash, second.dHash))
      }
      var misses: [String] = []
      for upscale in upscales {
        let quadrant = try hashes(upscale.grid, upscale.part)
        let own = try hashes(upscale.id, 0)
        if distance(own, quadrant) > limit { misses.append("upscale \(upscale.id)") }
        // A copy at half size (quadrants are 256²), as a download elsewhere might be.
        let path = archive.appendingPathComponent("images/quadrants/\(upscale.grid)-\(upscale.part).png").path
        let copy = archive.appendingPathComponent("copy-\(upscale.part).png")
        let sample = try Thumbnailer().sampledThumbnail(of: path, maxEdge: 128, to: copy).sample
        if distance(ImageHashes(sample: sample), quadrant) > limit {
          misses.append("half-size copy of \(upscale.grid):\(upscale.part)")
        }
      }
      #expect(misses.isEmpty, "\(misses)")
      let quadrants = pictures.filter { $0.kind == "quadrant" && grids.contains($0.taskId) }
      #expect(quadrants.count == 24)
      var negatives = 0
      var near: [String] = []
      for (offset, first) in quadrants.enumerated() {
        for second in quadrants[(offset + 1)...] where second.taskId != first.taskId {
          negatives += 1
          if distance(first.hashes, second.hashes) <= limit {
            near.append("\(first.name) \(second.name)")
          }
        }
      }
      #expect(negatives == 240)
      #expect(near.isEmpty, "\(near)")
    }
  }

  private static func taskId(_ arguments: [String], _ environment: [String: String]) async throws -> String {
    let outcome = try await CommandRunner.run(arguments + ["--json"], environment: environment)
    #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
    let line = try JSONParser.parse(Data(outcome.stdout.split(separator: "\n").first.map(String.init)?.utf8 ?? "".utf8))
    return try #require(line["task"]?["id"]?.stringValue)
  }
}
