import ArgumentParser
import Foundation
import Sync

extension MJArchive {
  /// The `mjarchive schedule --every 15m [--install | --uninstall]` command.
  struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Run sync from cron, or keep listen running: print the crontab line and systemd units, or install the line.",
      discussion: """
        The line names the binary, the archive, the key file and a log file by absolute path, and ends with a \
        marker, so --install replaces this archive's line (twice leaves one) and --uninstall removes it. cron \
        does not see MJ_API_KEY, and a key is never written into a crontab: keep it in a file (chmod 600) and \
        pass --api-key-file. Nor does it see proxy variables: pass --proxy to have one in the line. With \
        --listen: an @reboot line that starts `listen` at boot (its log: listen.log in the archive folder), and a \
        systemd user service that keeps it running, restarted when it fails.
        """)

    @Option(help: "How often: 1m–59m, 1h–23h or 1d.")
    var every = "15m"

    @Flag(help: "Add (or replace) this archive's line in the user's crontab.")
    var install = false

    @Flag(help: "Remove this archive's line from the user's crontab.")
    var uninstall = false

    @Option(help: "The log file sync appends to (default: sync.log in the archive folder).")
    var logFile: String?

    @Flag(help: "Keep `listen` running instead (an @reboot crontab line, or a systemd user service).")
    var listen = false

    @Option(help: "With --listen: the address listen binds.")
    var bind = "127.0.0.1"

    @Option(help: "With --listen: the port listen takes callbacks on.")
    var port = 8787

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !(install && uninstall) else { throw ValidationError("give --install or --uninstall, not both") }
      guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
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
      let job = listen ? "listen" : "sync"
      if uninstall {
        // The archive's path goes into the marker looked for: a line break there is refused as everywhere.
        if ProgramQuoting.hasControlCharacter(archivePath) { throw .controlCharacter(option: "--archive") }
        let removed = try UserCrontab.edit { current throws(ScheduleError) in
          let edited = SyncSchedule.crontab(current, setting: nil, archive: archivePath, job: job)
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
        logFile: (logFile ?? (listen ? archivePath + "/listen.log" : nil)).map {
          URL(fileURLWithPath: $0).standardizedFileURL.path
        },
        maxDurationMinutes: max(1, schedule.minutes - 1))
      if listen {
        try keepListening(try command.listening(bind: bind, port: port), archive: archivePath)
        return
      }
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

    /// `--listen`: installs the @reboot line, or prints it with the systemd service.
    private func keepListening(_ command: ScheduledCommand, archive archivePath: String) throws(ScheduleError) {
      let line = SyncSchedule.rebootLine(command)
      let start = command.arguments.map(ProgramQuoting.shellWord).joined(separator: " ")
      if install {
        try UserCrontab.edit { current throws(ScheduleError) in
          (SyncSchedule.crontab(current, setting: line, archive: archivePath, job: "listen").text, ())
        }
        Console.out("installed: \(line)")
        Console.out("it starts at the next boot; to start it now: nohup \(start) >/dev/null 2>&1 &")
        return
      }
      Console.out("# crontab line (`mjarchive schedule --listen --install` adds it; it starts listen at boot):")
      Console.out(line)
      Console.out("")
      Console.out("# or a systemd user service: ~/.config/systemd/user/mjarchive-listen.service")
      Console.out(SyncSchedule.listenService(command))
      Console.out("")
      Console.out(
        "# then: systemctl --user daemon-reload && systemctl --user enable --now mjarchive-listen.service"
          + " (and `loginctl enable-linger` to keep it running while you are logged out)")
    }

    /// The running binary's absolute path, for a line that works from cron's minimal PATH.
    static func executablePath() -> String {
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
  }
}
