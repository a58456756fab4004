import Foundation
import MidjourneyAPI
import TestSupport
import Testing

/// `similar` over an archive synced from the simulator, whose upscale of U2 is its grid's second scene again, at
/// quadrant size with its own grain: lineage's ground truth for a near copy.
@Suite struct SimilarCommandTests {
  private static func output(_ arguments: [String], _ environment: [String: String]) async throws -> String {
    let outcome = try await CommandRunner.run(arguments, environment: environment)
    #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
    return outcome.stdout
  }

  private static func lines(_ arguments: [String], _ environment: [String: String]) async throws -> [JSONValue] {
    try await output(arguments + ["--json"], environment).split(separator: "\n").map {
      try JSONParser.parse(Data($0.utf8))
    }
  }

  @Test func anUpscaleFindsTheQuadrantItCameFromAndAFileFindsItsCopy() async throws {
    try await SimulatedGateway.run { environment, _ in
      var grids: [String] = []
      for prompt in ["a red fox in snow", "a blue heron at dawn"] {
        let imagine = try await Self.lines(["imagine", prompt, "--wait", "--poll-interval", "0.1"], environment)
        grids.append(try #require(imagine.first?["task"]?["id"]?.stringValue))
      }
      let action = try await Self.lines(
        ["action", grids[0], "U2", "--wait", "--poll-interval", "0.1"], environment)
      let upscale = try #require(action.first?["task"]?["id"]?.stringValue)
      _ = try await Self.output(["sync"], environment)

      let near = try await Self.lines(["similar", upscale], environment)
      let first = try #require(near.first)
      #expect(first["task"]?.stringValue == grids[0] && first["part"]?.textValue == "2", "\(near)")
      #expect((first["distance"]?.int64Value ?? 99) <= 10, "\(first)")
      #expect(first["prompt"]?.stringValue == "a red fox in snow")
      // Every other scene is far: none of the other seven quadrants (nor the grids) is within 10 bits.
      #expect(near.count == 1, "\(near)")

      // Its own family left out, the quadrant it came from is not offered.
      let others = try await Self.lines(["similar", upscale, "--other-families", "--max-distance", "64"], environment)
      #expect(others.allSatisfy { $0["task"]?.stringValue != grids[0] }, "\(others)")
      #expect(others.contains { $0["task"]?.stringValue == grids[1] })

      // A file: the stored quadrant itself is found at distance 0 (itself and nothing else by content).
      let archive = try #require(environment["MJARCHIVE_DIR"])
      let quadrant = try #require(first["path"]?.stringValue)
      let copy = try await Self.lines(
        ["similar", "--image", archive + "/" + quadrant, "--max-distance", "0"], environment)
      #expect(copy.map { $0["task"]?.stringValue } == [grids[0]], "\(copy)")

      // The upscale and its quadrant are one picture to `duplicates`; nothing else is near.
      let groups = try await Self.lines(["duplicates", "--max-distance", "10"], environment)
      #expect(groups.count == 1, "\(groups)")
      let members = groups.first?["pictures"]?.arrayValue?.compactMap { $0["task"]?.stringValue } ?? []
      #expect(Set(members) == [grids[0], upscale] && members.count == 2, "\(groups)")

      // Text: the distance, the picture, its file and its prompt on one line.
      let text = try await Self.output(["similar", "\(grids[0]):2"], environment)
      #expect(text.hasPrefix(" "), "\(text)")
      #expect(text.contains(upscale) && text.contains("a red fox in snow"), "\(text)")
    }
  }

  /// An archive synced before hashes were kept: `reindex --hashes` hashes it from its files, says which it could
  /// not read, and leaves what it did for the next run.
  @Test func reindexHashesWhatWasStoredBefore() async throws {
    try await SimulatedGateway.run { environment, _ in
      let imagine = try await Self.lines(["imagine", "a grey wolf", "--wait", "--poll-interval", "0.1"], environment)
      let grid = try #require(imagine.first?["task"]?["id"]?.stringValue)
      _ = try await Self.output(["sync"], environment)
      let archive = try #require(environment["MJARCHIVE_DIR"])
      let before = try await Self.lines(["similar", "\(grid):3", "--max-distance", "64"], environment)
      try TestSupport.run("/usr/bin/sqlite3", [archive + "/archive.sqlite", "DELETE FROM image_hashes"])
      #expect(try await CommandRunner.run(["similar", grid], environment: environment).status == 1)
      // verify tells of them, and still finds the archive clean.
      let verify = try await CommandRunner.run(["verify"], environment: environment)
      #expect(verify.status == 0)
      #expect(
        verify.stdout.hasPrefix(
          "5 pictures without perceptual hashes (`similar`, `duplicates`): `mjarchive reindex --hashes` makes them\n"),
        "\(verify.stdout)")
      // Quadrant 4's file is damaged: it gets no hash, and a line says so.
      let damaged = archive + "/images/quadrants/\(grid)-4.png"
      var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
      bytes.removeLast(bytes.count / 2)
      try bytes.write(to: URL(fileURLWithPath: damaged))
      let reindex = try await CommandRunner.run(["reindex", "--hashes"], environment: environment)
      #expect(reindex.status == 1)
      #expect(reindex.stdout == "hashed 4 pictures\n", "\(reindex.stdout)")
      #expect(reindex.stderr.hasPrefix("mjarchive: not hashed: ") && reindex.stderr.contains("\(grid)-4.png"))
      // The grid hashed from its whole file is within a few bits of the one made from its quadrants' samples.
      let after = try await Self.lines(["similar", "\(grid):3", "--max-distance", "64"], environment)
      let gridBefore = try #require(before.first { $0["part"]?.textValue == "0" })
      let gridAfter = try #require(after.first { $0["part"]?.textValue == "0" })
      #expect(abs((gridBefore["distance"]?.int64Value ?? 0) - (gridAfter["distance"]?.int64Value ?? 99)) <= 4)
      #expect(after.count == before.count - 1)
      let again = try await CommandRunner.run(["reindex", "--hashes"], environment: environment)
      #expect(again.stdout == "hashed 0 pictures\n", "\(again.stdout)")
    }
  }

  @Test func badPicturesGetOneLineAndAnExitCode() async throws {
    try await SimulatedGateway.run { environment, _ in
      let imagine = try await CommandRunner.run(
        ["imagine", "a quiet pond", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      let id = try #require(try JSONParser.parse(Data(imagine.stdout.utf8))["task"]?["id"]?.stringValue)
      // Not synced yet: known (the submit recorded it) but not hashed.
      let unsynced = try await CommandRunner.run(["similar", id], environment: environment)
      #expect(unsynced.status == 1)
      #expect(unsynced.stderr.contains("no hashed picture"), "\(unsynced.stderr)")
      #expect(unsynced.stderr.split(separator: "\n").count == 1)
      for arguments in [
        ["similar", "\(id):5"], ["similar"], ["similar", id, "--image", "x.png"], ["similar", "../x"],
      ] {
        let refused = try await CommandRunner.run(arguments, environment: environment)
        #expect(refused.status == 2, "\(arguments): \(refused.stderr)")
      }
      let notPNG = FileManager.default.temporaryDirectory.appendingPathComponent("similar-\(UUID()).png")
      defer { try? FileManager.default.removeItem(at: notPNG) }
      try Data("<html>gateway error</html>".utf8).write(to: notPNG)
      let refused = try await CommandRunner.run(["similar", "--image", notPNG.path], environment: environment)
      #expect(refused.status == 1)
      #expect(refused.stderr.hasPrefix("mjarchive: ") && refused.stderr.split(separator: "\n").count == 1)
    }
  }
}
