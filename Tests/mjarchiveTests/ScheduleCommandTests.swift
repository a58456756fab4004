import Foundation
import TestSupport
import Testing

/// `mjarchive schedule` against Debian's real `crontab` (and `cron`), as another user so no real crontab is touched.
@Suite(.serialized) struct ScheduleCommandTests {
  /// A folder other users can reach holding a copy of the binary, and a way to run it and `crontab` as `nobody`
  /// (as root) or as oneself, restoring the table after.
  private final class CronUser {
    let root: URL
    let binary: URL
    let launcher: [String]
    private let saved: String?

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-cron-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      chmod(root.path, 0o755)
      binary = root.appendingPathComponent("mjarchive")
      try CommandRunner.copyBinary(to: binary)
      launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
      saved = getuid() == 0 ? nil : try? run("/usr/bin/crontab", ["-l"])
      if getuid() == 0 { _ = try? run("/usr/bin/crontab", ["-u", "nobody", "-r"]) }
    }

    deinit {
      if getuid() == 0 {
        _ = try? run("/usr/bin/crontab", ["-u", "nobody", "-r"])
      } else if let saved {
        _ = try? run("/usr/bin/crontab", ["-"], input: Data(saved.utf8))
      }
      try? FileManager.default.removeItem(at: root)
    }

    func mjarchive(_ arguments: [String], environment: [String: String] = [:], folder: URL? = nil) async throws
      -> CommandRunner.Outcome
    {
      try await CommandRunner.run(
        arguments, environment: ["HOME": root.path].merging(sanitizerSettings()) { $1 }.merging(environment) { $1 },
        launcher: launcher, binary: binary, folder: folder)
    }

    /// Under Scripts/sanitize.sh: LeakSanitizer's suppressions, copied where this user can read them (the
    /// checkout may be in a private folder, and a sanitizer that cannot read its suppressions fails the run).
    private func sanitizerSettings() -> [String: String] {
      guard let options = ProcessInfo.processInfo.environment["LSAN_OPTIONS"] else { return [:] }
      let parts = options.split(separator: ":").map { part -> String in
        guard part.hasPrefix("suppressions=") else { return String(part) }
        let copy = root.appendingPathComponent("lsan-suppressions.txt")
        try? FileManager.default.removeItem(at: copy)
        try? FileManager.default.copyItem(atPath: String(part.dropFirst("suppressions=".count)), toPath: copy.path)
        chmod(copy.path, 0o644)
        return "suppressions=" + copy.path
      }
      return ["LSAN_OPTIONS": parts.joined(separator: ":")]
    }

    /// The user's crontab ("" when there is none).
    func table() -> String {
      let list = launcher + ["/usr/bin/crontab", "-l"]
      return (try? run(list[0], Array(list.dropFirst()))) ?? ""
    }
  }

  @Test func installTwiceLeavesOneLineAndUninstallRemovesIt() async throws {
    let user = try CronUser()
    let arguments = [
      "schedule", "--every", "10m", "--archive", user.root.appendingPathComponent("archive").path,
      "--base-url", "http://127.0.0.1:9", "--api-key-file", user.root.appendingPathComponent("key").path,
    ]
    for _ in 0..<2 {
      let install = try await user.mjarchive(arguments + ["--install"])
      #expect(install.status == 0, "\(install.stderr)")
      #expect(install.stdout.hasPrefix("installed: */10 * * * * \(user.binary.path) sync --archive"))
    }
    let lines = user.table().split(separator: "\n").filter { $0.contains("# mjarchive sync: ") }
    #expect(lines.count == 1, "\(user.table())")
    #expect(lines.first?.contains("--log-file \(user.root.path)/archive/sync.log") == true)
    let removed = try await user.mjarchive(arguments + ["--uninstall"])
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(!user.table().contains("# mjarchive sync: "))
    // Regression: a second uninstall said "removed" and removed nothing.
    let again = try await user.mjarchive(arguments + ["--uninstall"])
    #expect(again.status == 1)
    #expect(again.stdout.isEmpty)
    #expect(again.stderr.contains("nothing was removed"), "\(again.stderr)")
  }

  @Test func listenIsStartedAtBootBesideTheSyncLine() async throws {
    let user = try CronUser()
    let archive = user.root.appendingPathComponent("archive").path
    let common = ["--archive", archive, "--base-url", "http://127.0.0.1:9"]
    let sync = try await user.mjarchive(["schedule", "--every", "10m", "--install"] + common)
    #expect(sync.status == 0, "\(sync.stderr)")
    for _ in 0..<2 {
      let listen = try await user.mjarchive(["schedule", "--listen", "--port", "8799", "--install"] + common)
      #expect(listen.status == 0, "\(listen.stderr)")
      #expect(listen.stdout.hasPrefix("installed: @reboot \(user.binary.path) listen --archive \(archive)"))
    }
    let lines = user.table().split(separator: "\n")
    #expect(lines.filter { $0.hasSuffix("# mjarchive listen: \(archive)") }.count == 1, "\(user.table())")
    #expect(lines.contains { $0.contains("--port 8799 --log-file \(archive)/listen.log") })
    let removed = try await user.mjarchive(["schedule", "--listen", "--uninstall"] + common)
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(!user.table().contains("# mjarchive listen: "))
    #expect(user.table().contains("# mjarchive sync: \(archive)"))
  }

  /// Regression: a line break in any value written into the crontab added lines of the attacker's, and cron ran them.
  @Test func aLineBreakInAnyScheduledValueIsRefusedAndTheCrontabLeftAlone() async throws {
    let user = try CronUser()
    let planted = "/tmp/x\n* * * * * touch /tmp/PWNED #"
    let base = ["schedule", "--every", "1m", "--install"]
    let good = ["--archive", "/tmp/a", "--base-url", "http://127.0.0.1:9", "--api-key-file", "/tmp/k"]
    let cases: [(arguments: [String], environment: [String: String], option: String)] = [
      (["--archive", planted, "--base-url", "http://127.0.0.1:9"], [:], "--archive"),
      (good + ["--log-file", planted], [:], "--log-file"),
      (["--archive", "/tmp/a", "--base-url", "http://127.0.0.1:9", "--api-key-file", planted], [:], "--api-key-file"),
      (good + ["--proxy", "http://p:1\n* * * * * touch /tmp/PWNED"], [:], "--proxy"),
      (good + ["--mode", "fast\n* * * * * touch /tmp/PWNED"], [:], "--mode"),
      (
        ["--archive", "/tmp/a", "--api-key-file", "/tmp/k"], ["MJ_BASE_URL": "http://g\n* * * * * touch /x"],
        "--base-url"
      ),
      (good, ["MJ_MODE": "relax\r* * * * * touch /x"], "--mode"),
    ]
    for (arguments, environment, option) in cases {
      let outcome = try await user.mjarchive(base + arguments, environment: environment)
      #expect(outcome.status == 2, "\(option): \(outcome.stderr)")
      #expect(outcome.stderr.hasPrefix("mjarchive: \(option) holds a line break"), "\(outcome.stderr)")
      #expect(user.table().isEmpty, "\(option): \(user.table())")
    }
    let uninstall = try await user.mjarchive(["schedule", "--uninstall", "--archive", planted])
    #expect(uninstall.status == 2)
  }

  @Test func aBaseURLWithAPasswordIsRefusedWithoutShowingIt() async throws {
    let user = try CronUser()
    let outcome = try await user.mjarchive([
      "schedule", "--install", "--archive", "/tmp/a", "--api-key-file", "/tmp/k",
      "--base-url", "https://me:hunter2@gw.example/?token=s3cret",
    ])
    #expect(outcome.status == 2)
    #expect(outcome.stderr.contains("https://***@gw.example/?…"), "\(outcome.stderr)")
    #expect(!(outcome.stdout + outcome.stderr).contains("hunter2"))
    #expect(!(outcome.stdout + outcome.stderr).contains("s3cret"))
    #expect(user.table().isEmpty)
  }

  @Test func aKeyInTheEnvironmentIsNeverWrittenIntoTheCrontab() async throws {
    let outcome = try await CommandRunner.run(
      ["schedule", "--install", "--base-url", "http://127.0.0.1:9", "--archive", "/tmp/x"],
      environment: ["MJ_API_KEY": "sk-secret-0123456789abcdef"])
    #expect(outcome.status == 2)
    #expect(outcome.stderr.contains("pass --api-key-file"))
    #expect(!(outcome.stdout + outcome.stderr).contains("sk-secret"))
  }

  /// Regression: run from a folder the user cannot enter, `crontab` failed before it started and the error blamed a
  /// missing cron.
  @Test(.enabled(if: getuid() == 0)) func installWorksFromAFolderTheUserCannotEnter() async throws {
    let user = try CronUser()
    let hidden = user.root.appendingPathComponent("private")
    try FileManager.default.createDirectory(at: hidden, withIntermediateDirectories: true)
    chmod(hidden.path, 0o700)
    let outcome = try await user.mjarchive(
      [
        "schedule", "--install", "--archive", user.root.appendingPathComponent("a").path, "--base-url",
        "http://127.0.0.1:9", "--api-key-file", "/tmp/k",
      ], folder: hidden)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(user.table().contains("# mjarchive sync: \(user.root.path)/a"))
  }

  /// Regression: a `%` in a path was written so that cron cut the line there (installed, never ran).
  ///
  /// Debian's real
  /// cron runs the installed line here, and sync writes its log at the exact path, `%`, backslash and quote kept.
  @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/cron")))
  func debiansCronRunsTheInstalledLineWithPercentSignsAndBackslashes() async throws {
    let user = try CronUser()
    let shared = user.root.appendingPathComponent("shared")
    try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
    chmod(shared.path, 0o777)
    let archive = shared.appendingPathComponent("50% it's a\\%b \\\\ c")
    let key = shared.appendingPathComponent("key")
    try Data("sk-test\n".utf8).write(to: key)
    chmod(key.path, 0o644)
    let install = try await user.mjarchive([
      "schedule", "--every", "1m", "--install", "--archive", archive.path, "--base-url", "http://127.0.0.1:9",
      "--api-key-file", key.path,
    ])
    #expect(install.status == 0, "\(install.stderr)")
    // A cron already running (a service) reads the new table too; otherwise one is started for this test.
    let cron = Process()
    if (try? run("/usr/bin/pgrep", ["-x", "cron"])) == nil {
      cron.executableURL = URL(fileURLWithPath: "/usr/sbin/cron")
      cron.arguments = ["-f"]
      cron.standardOutput = FileHandle.nullDevice
      cron.standardError = FileHandle.nullDevice
      try cron.run()
    }
    // cron reads a changed table at the start of a minute and runs the line then.
    let log = archive.appendingPathComponent("sync.log")
    let deadline = Date().addingTimeInterval(130)
    while !FileManager.default.fileExists(atPath: log.path) && Date() < deadline {
      try await Task.sleep(for: .milliseconds(500))
    }
    // cron stays up on SIGTERM while it has jobs; waiting in `waitUntilExit` would hold a test thread meanwhile.
    if cron.isRunning { kill(cron.processIdentifier, SIGKILL) }
    while cron.isRunning { try await Task.sleep(for: .milliseconds(50)) }
    #expect(FileManager.default.fileExists(atPath: log.path), "\(user.table())")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted() == ["50% it's a\\%b \\\\ c", "key"])
  }
}
