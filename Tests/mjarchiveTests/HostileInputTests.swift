import Foundation
import MidjourneyAPI
import Testing

/// Hostile input through the binary: each gets a clear error (or is kept safely), the archive stays intact.
///
/// docs/HOSTILE-INPUT.md lists every input tried and its result, with the test that shows it.
@Suite struct HostileInputTests {
  let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-hostile-\(UUID().uuidString)")
  var environment: [String: String] { ["MJARCHIVE_DIR": archive.path] }

  /// Every line is short, starts with the program's name (or ArgumentParser's usage "Error:"), and none is empty.
  private func expectOneLineErrors(
    _ stderr: String, count: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    if let count { #expect(lines.count == count, "\(stderr)", sourceLocation: sourceLocation) }
    for line in lines {
      #expect(line.count < 400, "\(line.prefix(100))…", sourceLocation: sourceLocation)
      #expect(!line.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x1B }, sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: [
    "../../etc/passwd", "a/b", String(repeating: "7", count: 10_000), "x\u{202E}gpj.exe", "1' OR '1'='1",
  ])
  func hostileIdsOnTheCommandLineAreRefusedBeforeAnythingIsMade(id: String) async throws {
    defer { try? FileManager.default.removeItem(at: archive) }
    for command in [["track", id], ["show", id], ["lineage", id], ["action", id, "U1"]] {
      let outcome = try await CommandRunner.run(command, environment: environment)
      #expect(outcome.status == 2, "\(command[0]): \(outcome.stderr)")
      #expect(outcome.stderr.hasPrefix("Error: \""))
      #expect(outcome.stderr.contains("is not a task id"))
      expectOneLineErrors(outcome.stderr.split(separator: "\n").first.map { String($0) + "\n" } ?? "")
    }
    #expect(!FileManager.default.fileExists(atPath: archive.path))
  }

  @Test func hostileRecordsInAnImportAreNamedAndEveryGoodByteIsKept() async throws {
    defer { try? FileManager.default.removeItem(at: archive) }
    let sample = try JSONParser.parse(
      Data(contentsOf: ArchiveCommandTests.fixtures.appendingPathComponent("task-imagine-success.json")))
    func record(_ id: JSONValue?, prompt: String? = nil) -> String {
      guard case .object(var object) = sample else { return "" }
      object["id"] = id
      if let prompt { object["prompt"] = .string(prompt) }
      return JSONValue.object(object).serialized()
    }
    let hostilePrompt =
      "<script>alert(1)</script><img src=x onerror=alert(2)> photo\u{202E}gpj.exe 🦊 fox "
      + String(repeating: "long ", count: 2_097_152)  // 10 MB
    let good = record(.string("1320098173412999"), prompt: hostilePrompt)
    let lines = [
      record(.string("../../etc/passwd")), record(.string("a\u{0}b")),
      record(.string(String(repeating: "7", count: 10_000))),
      record(nil), good, record(.string("1320098173412998"), prompt: "a quiet fox"),
    ]
    let file = archive.appendingPathExtension("jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)

    let imported = try await CommandRunner.run(["import", file.path], environment: environment)
    #expect(imported.status == 1)
    #expect(imported.stdout == "imported 2 tasks: 2 new, 0 updated, 0 unchanged; 4 records failed\n")
    expectOneLineErrors(imported.stderr, count: 4)
    #expect(imported.stderr.contains("record 1 (line 1): \"../../etc/passwd\" is not a task id"))
    #expect(imported.stderr.contains("record 2 (line 2): \"a b\" is not a task id"))
    #expect(
      imported.stderr.contains("record 3 (line 3): \"7777777777777777777777777777777777777777…\" is not a task id"))

    let found = try await CommandRunner.run(["search", "fox"], environment: environment)
    #expect(found.status == 0)
    #expect(found.stdout.split(separator: "\n").count == 2)
    #expect(found.stdout.contains("photo\u{FFFD}gpj.exe 🦊 fox long"))
    #expect(!found.stdout.unicodeScalars.contains { $0.value == 0x202E })
    // The gateway's bytes come back exactly as they went in, 10 MB prompt and all.
    let shown = try await CommandRunner.run(["show", "1320098173412999", "--json"], environment: environment)
    #expect(shown.stdout == good + "\n")
    let verified = try await CommandRunner.run(["verify"], environment: environment)
    #expect(verified.status == 0, "\(verified.stdout)")
  }

  /// The first 24 bytes of a real PNG with its IHDR claiming another size (and a CRC to match).
  private func pngClaiming(width: UInt32, height: UInt32) throws -> Data {
    var png = try Data(contentsOf: SplitCommandTests.suite.appendingPathComponent("basn2c08.png"))
    for (offset, value) in [(16, width), (20, height)] {
      png.replaceSubrange(offset..<offset + 4, with: withUnsafeBytes(of: value.bigEndian) { Data($0) })
    }
    let crc = Self.crc32(png[12..<29])
    png.replaceSubrange(29..<33, with: withUnsafeBytes(of: crc.bigEndian) { Data($0) })
    return png
  }

  private static func crc32(_ bytes: Data) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  @Test func aPNGClaiming100000By100000IsRefusedBeforeDecoding() async throws {
    try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: archive) }
    let file = archive.appendingPathComponent("huge.png")
    try pngClaiming(width: 100_000, height: 100_000).write(to: file)
    let out = archive.appendingPathComponent("out")
    let outcome = try await CommandRunner.run(["split", file.path, "--out", out.path])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("huge.png is larger than allowed"))
    expectOneLineErrors(outcome.stderr, count: 1)
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty)
  }

  @Test func anArchiveFolderBehindASymbolicLinkIsUsedAndADanglingLinkIsNamed() async throws {
    let real = archive.appendingPathComponent("real")
    let link = archive.appendingPathComponent("link")
    let dangling = archive.appendingPathComponent("dangling")
    try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: archive) }
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
    try FileManager.default.createSymbolicLink(at: dangling, withDestinationURL: archive.appendingPathComponent("gone"))
    let sample = ArchiveCommandTests.fixtures.appendingPathComponent("task-imagine-success.json").path
    #expect(try await CommandRunner.run(["import", sample, "--archive", link.path]).status == 0)
    #expect(try await CommandRunner.run(["search", "cat", "--archive", link.path]).stdout.contains("1320098173412546"))
    #expect(FileManager.default.fileExists(atPath: real.appendingPathComponent("archive.sqlite").path))

    let refused = try await CommandRunner.run(["import", sample, "--archive", dangling.path])
    #expect(refused.status == 1)
    #expect(
      refused.stderr.hasSuffix(
        "is a symbolic link to \(archive.path)/gone, which does not exist: make that folder first\n"))
    expectOneLineErrors(refused.stderr, count: 1)
    #expect(!FileManager.default.fileExists(atPath: archive.appendingPathComponent("gone").path))
  }
}
