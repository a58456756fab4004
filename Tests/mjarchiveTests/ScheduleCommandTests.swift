import Foundation
import TestSupport
import Testing

/// `mjarchive schedule` against Debian's real `crontab`, as another user so no real crontab is touched.
@Suite(.serialized) struct ScheduleCommandTests {
  @Test func installTwiceLeavesOneLineAndUninstallRemovesIt() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-cron-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    chmod(root.path, 0o755)
    let binary = root.appendingPathComponent("mjarchive")
    try CommandRunner.copyBinary(to: binary)
    // As root, act as nobody (whose crontab nothing else uses); otherwise as oneself, restoring the table after.
    let launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    let saved = getuid() == 0 ? nil : try? run("/usr/bin/crontab", ["-l"])
    defer {
      if getuid() == 0 {
        _ = try? run("/usr/bin/crontab", ["-u", "nobody", "-r"])
      } else if let saved {
        _ = try? run("/usr/bin/crontab", ["-"], input: Data(saved.utf8))
      }
    }
    let arguments = [
      "schedule", "--every", "10m", "--archive", root.appendingPathComponent("archive").path,
      "--base-url", "http://127.0.0.1:9", "--api-key-file", root.appendingPathComponent("key").path,
    ]
    let environment = ["HOME": root.path]
    for _ in 0..<2 {
      let install = try await CommandRunner.run(
        arguments + ["--install"], environment: environment, launcher: launcher, binary: binary)
      #expect(install.status == 0, "\(install.stderr)")
      #expect(install.stdout.hasPrefix("installed: */10 * * * * \(binary.path) sync --archive"))
    }
    let list = launcher + ["/usr/bin/crontab", "-l"]
    let listed = try run(list[0], Array(list.dropFirst()))
    let lines = listed.split(separator: "\n").filter { $0.contains("# mjarchive sync: ") }
    #expect(lines.count == 1, "\(listed)")
    #expect(lines.first?.contains("--log-file \(root.path)/archive/sync.log") == true)
    let removed = try await CommandRunner.run(
      arguments + ["--uninstall"], environment: environment, launcher: launcher, binary: binary)
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(!((try? run(list[0], Array(list.dropFirst()))) ?? "").contains("# mjarchive sync: "))
  }

  @Test func aKeyInTheEnvironmentIsNeverWrittenIntoTheCrontab() async throws {
    let outcome = try await CommandRunner.run(
      ["schedule", "--install", "--base-url", "http://127.0.0.1:9", "--archive", "/tmp/x"],
      environment: ["MJ_API_KEY": "sk-secret-0123456789abcdef"])
    #expect(outcome.status == 2)
    #expect(outcome.stderr.contains("pass --api-key-file"))
    #expect(!(outcome.stdout + outcome.stderr).contains("sk-secret"))
  }
}
