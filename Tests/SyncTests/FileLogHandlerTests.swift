import Foundation
import Logging
import Testing

@testable import Sync

@Suite struct FileLogHandlerTests {
  /// Regression: a link planted as `sync.log` in the archive made every cron run append to the file it named.
  @Test func aLogFileThatIsASymbolicLinkIsNotFollowed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let victim = folder.appendingPathComponent("victim")
    try Data("precious\n".utf8).write(to: victim)
    let path = folder.appendingPathComponent("sync.log").path
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim.path)
    #expect(throws: SyncError.files("the log file \(path) is a symbolic link, which is not followed: remove it")) {
      try FileLogHandler(path: path)
    }
    #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
  }

  @Test func linesAreOneEventEachAndTheFileRotatesBySize() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("sync.log").path
    let handler = try FileLogHandler(path: path, maximumBytes: 400)
    let logger = Logger(label: "test", factory: { _ in handler })
    logger.info("downloaded", metadata: ["task": "1400", "bytes": "12"])
    logger.warning("failed", metadata: ["task": "1401", "reason": "line one\nline two"])
    let first = try String(contentsOfFile: path, encoding: .utf8)
    let lines = first.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0].hasSuffix(" info downloaded bytes=12 task=1400"))
    #expect(lines[1].hasSuffix(" warning failed reason=line one line two task=1401"))
    for index in 0..<10 { logger.info("event \(index)") }
    #expect(FileManager.default.fileExists(atPath: path + ".1"))
    let current = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(current.count <= 400)
    #expect((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
  }
}
