import ArgumentParser
import Foundation
import Sync

extension MJArchive {
  /// The `mjarchive schedule --every 15m [--install | --uninstall]` command.
  struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run sync from cron: print the crontab line and a systemd user timer, or install the crontab line.",
      discussion: """
        The line names the binary, the archive, the key file and a log file by absolute path, and ends with a \
        marker, so --install replaces this archive's line (twice leaves one) and --uninstall removes it. cron \
        does not see MJ_API_KEY, and a key is never written into a crontab: keep it in a file (chmod 600) and \
        pass --api-key-file. Nor does it see proxy variables: pass --proxy to have one in the line.
        """)

    @Option(help: "How often: 1m–59m, 1h–23h or 1d.")
    var every = "15m"

    @Flag(help: "Add (or replace) this archive's line in the user's crontab.")
    var install = false

    @Flag(help: "Remove this archive's line from the user's crontab.")
    var uninstall = false

    @Option(help: "The log file sync appends to (default: sync.log in the archive folder).")
    var logFile: String?

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !(install && uninstall) else { throw ValidationError("give --install or --uninstall, not both") }
      do {
        _ = try SyncSchedule(every: every)
      } catch {
        throw ValidationError(error.description)
      }
    }

    func run() throws {
      do {
        try schedule()
      } catch {
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
    }

    private func schedule() throws(ScheduleError) {
      let schedule = try SyncSchedule(every: every)
      let archivePath = archive.directory.standardizedFileURL.path
      if uninstall {
        // The archive's path goes into the marker looked for: a line break there is refused as everywhere.
        if ProgramQuoting.hasControlCharacter(archivePath) { throw .controlCharacter(option: "--archive") }
        let removed = try UserCrontab.edit { current throws(ScheduleError) in
          let edited = SyncSchedule.crontab(current, setting: nil, archive: archivePath)
          return (edited.text, edited.removed)
        }
        guard removed > 0 else { throw .notInstalled(archive: archivePath) }
        Console.out("removed the crontab line for \(archivePath)")
        return
      }
      let environment = ProcessInfo.processInfo.environment
      guard let base = gateway.baseURL ?? environment["MJ_BASE_URL"], !base.isEmpty else { throw .noGateway }
      if install && gateway.apiKeyFile == nil && environment["MJ_API_KEY"] != nil { throw .keyInEnvironment }
      // Everything the gateway options say, spelled out: cron sees none of this shell's variables.
      let command = try ScheduledCommand(
        executable: Self.executablePath(), archive: archivePath, baseURL: base, timeoutSeconds: gateway.timeout,
        mode: gateway.mode ?? environment["MJ_MODE"], proxy: gateway.proxy,
        apiKeyFile: gateway.apiKeyFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
        logFile: logFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
        maxDurationMinutes: max(1, schedule.minutes - 1))
      let line = schedule.cronLine(command)
      if install {
        try UserCrontab.edit { current throws(ScheduleError) in
          (SyncSchedule.crontab(current, setting: line, archive: archivePath).text, ())
        }
        Console.out("installed: \(line)")
        return
      }
      let units = schedule.systemdUnits(command)
      Console.out(
        "# crontab line (`mjarchive schedule --every \(every) --install` adds it; `crontab -e` to edit by hand):")
      Console.out(line)
      Console.out("")
      Console.out("# or a systemd user timer: ~/.config/systemd/user/mjarchive-sync.service")
      Console.out(units.service)
      Console.out("")
      Console.out("# ~/.config/systemd/user/mjarchive-sync.timer")
      Console.out(units.timer)
      Console.out("")
      Console.out("# then: systemctl --user daemon-reload && systemctl --user enable --now mjarchive-sync.timer")
    }

    /// The running binary's absolute path, for a line that works from cron's minimal PATH.
    static func executablePath() -> String {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
  }
}
