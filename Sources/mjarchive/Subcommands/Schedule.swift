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
      let schedule = try SyncSchedule(every: every)
      let archivePath = archive.directory.standardizedFileURL.path
      if uninstall {
        try editCrontab { SyncSchedule.crontab($0, setting: nil, archive: archivePath) }
        Console.out("removed the crontab line for \(archivePath)")
        return
      }
      let environment = ProcessInfo.processInfo.environment
      guard let base = gateway.baseURL ?? environment["MJ_BASE_URL"], !base.isEmpty else {
        throw ValidationError("no gateway configured: set MJ_BASE_URL or pass --base-url")
      }
      if install && gateway.apiKeyFile == nil && environment["MJ_API_KEY"] != nil {
        Console.err(
          "mjarchive: cron does not see MJ_API_KEY, and a key is never written into a crontab: "
            + "keep it in a file (chmod 600) and pass --api-key-file")
        throw ExitCode(2)
      }
      // Everything the gateway options say, spelled out: cron sees none of this shell's variables.
      var command = [
        Self.executablePath(), "sync", "--archive", archivePath, "--base-url", base, "--timeout",
        String(gateway.timeout),
      ]
      if let mode = gateway.mode ?? environment["MJ_MODE"] { command += ["--mode", mode] }
      if let proxy = gateway.proxy { command += ["--proxy", proxy] }
      if let apiKeyFile = gateway.apiKeyFile {
        command += ["--api-key-file", URL(fileURLWithPath: apiKeyFile).standardizedFileURL.path]
      }
      let log = logFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? archivePath + "/sync.log"
      command += ["--log-file", log]
      let line = schedule.cronLine(command: command, archive: archivePath)
      if install {
        try editCrontab { SyncSchedule.crontab($0, setting: line, archive: archivePath) }
        Console.out("installed: \(line)")
        return
      }
      let units = schedule.systemdUnits(command: command)
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

    /// Reads the user's crontab, changes it and writes it back through `crontab`.
    private func editCrontab(_ change: (String) -> String) throws {
      let current = try Self.crontab(["-l"], input: nil)
      // `crontab -l` exits 1 with "no crontab for …" when there is none yet.
      let text = current.status == 0 ? current.output : ""
      let written = try Self.crontab(["-"], input: change(text))
      guard written.status == 0 else {
        Console.err("mjarchive: crontab refused the new table: \(written.error.singleLine(limit: 300))")
        throw ExitCode.failure
      }
    }

    private static func crontab(_ arguments: [String], input: String?) throws -> (
      status: Int32, output: String, error: String
    ) {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["crontab"] + arguments
      let output = Pipe()
      let error = Pipe()
      let stdin = Pipe()
      process.standardOutput = output
      process.standardError = error
      process.standardInput = input == nil ? FileHandle.nullDevice : stdin
      do {
        try process.run()
      } catch {
        Console.err("mjarchive: cannot run crontab (apt-get install cron): \(error.localizedDescription)")
        throw ExitCode.failure
      }
      if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
      }
      let out = output.fileHandleForReading.readDataToEndOfFile()
      let err = error.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      if process.terminationStatus == 127 {
        Console.err("mjarchive: there is no crontab command here: apt-get install cron")
        throw ExitCode.failure
      }
      return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
  }
}
