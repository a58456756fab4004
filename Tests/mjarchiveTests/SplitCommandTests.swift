import Foundation
import MidjourneyAPI
import TestSupport
import Testing

/// `mjarchive split` through the binary.
@Suite struct SplitCommandTests {
  static let suite = SharedFixtures.pngSuite

  @Test func splitsGoodFilesReportsBadOnesAndExitsOne() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mjarchive-splitcli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = Self.suite.appendingPathComponent("basn2c08.png").path
    let bad = Self.suite.appendingPathComponent("xd0n2c08.png").path
    let outcome = try await CommandRunner.run(["split", good, bad, "--out", directory.path, "--thumbs", "16", "--json"])
    #expect(outcome.status == 1)
    let lines = outcome.stdout.split(separator: "\n").map { try? JSONParser.parse(Data($0.utf8)) }
    #expect(lines.count == 2)
    #expect(lines[0]?["quadrants"]?.arrayValue?.count == 4)
    #expect(lines[0]?["thumbnails"]?.arrayValue?.count == 4)
    #expect(lines[1]?["error"]?.stringValue?.contains("xd0n2c08.png is a broken PNG") == true)
    let written = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(
      written == [
        "basn2c08-1-16.png", "basn2c08-1.png", "basn2c08-2-16.png", "basn2c08-2.png", "basn2c08-3-16.png",
        "basn2c08-3.png", "basn2c08-4-16.png", "basn2c08-4.png",
      ])
    let human = try await CommandRunner.run(["split", good, "--out", directory.path])
    #expect(human.status == 0)
    #expect(human.stdout.hasSuffix("→ basn2c08-1.png basn2c08-2.png basn2c08-3.png basn2c08-4.png\n"))
    let notPNG = try await CommandRunner.run([
      "split", Self.suite.appendingPathComponent("README.md").path, "--out", directory.path,
    ])
    #expect(notPNG.status == 1)
    #expect(notPNG.stderr.contains("is not a PNG (looks like something else)"))
  }
}
