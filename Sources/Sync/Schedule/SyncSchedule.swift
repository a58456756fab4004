import Foundation

/// How often cron (or a systemd timer) runs `mjarchive sync`, and the lines that make it so.
public struct SyncSchedule: Sendable, Equatable {
  /// Minutes between runs (a divisor-friendly step: cron's `*/N`).
  public let minutes: Int

  /// Reads `15m`, `2h` or `1d`.
  ///
  /// - Throws: `ScheduleError.interval` saying what is accepted.
  public init(every text: String) throws(ScheduleError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let unit = trimmed.last, let value = Int(trimmed.dropLast()), value > 0 else {
      throw .interval(text)
    }
    switch unit {
    case "m" where value <= 59: minutes = value
    case "h" where value <= 23: minutes = value * 60
    case "d" where value == 1: minutes = 1_440
    default: throw .interval(text)
    }
  }

  /// The crontab time fields: `*/15 * * * *`, `7 */2 * * *`, `7 3 * * *`.
  ///
  /// Hourly and daily runs start at minute 7, away from the top of the hour when every cron job runs.
  public var cronFields: String {
    if minutes < 60 { return "*/\(minutes) * * * *" }
    if minutes < 1_440 { return "7 */\(minutes / 60) * * *" }
    return "7 3 * * *"
  }

  /// The marker that ends mjarchive's crontab line for one archive, so install and uninstall find it; escaped as
  /// the rest of the line is, so cron hands the shell a comment and nothing else.
  public static func marker(archive: String, job: String = "sync") -> String {
    ProgramQuoting.cronCommand("# mjarchive \(job): \(archive)")
  }

  /// The crontab line: the command's words quoted for the shell, then for cron, and the marker.
  public func cronLine(_ command: ScheduledCommand) -> String {
    let shell = command.arguments.map(ProgramQuoting.shellWord).joined(separator: " ")
    return cronFields + " " + ProgramQuoting.cronCommand(shell) + " " + Self.marker(archive: command.archive)
  }

  /// The `@reboot` crontab line that starts `listen` when the machine starts, where no systemd user manager runs.
  public static func rebootLine(_ command: ScheduledCommand) -> String {
    let shell = command.arguments.map(ProgramQuoting.shellWord).joined(separator: " ")
    return "@reboot " + ProgramQuoting.cronCommand(shell) + " "
      + marker(archive: command.archive, job: command.job.name)
  }

  /// `crontab` text with this archive's line of `job` replaced by `line` (nil removes it), and how many lines were
  /// removed; other lines are kept as they are.
  public static func crontab(_ current: String, setting line: String?, archive: String, job: String = "sync") -> (
    text: String, removed: Int
  ) {
    let marker = marker(archive: archive, job: job)
    var lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let before = lines.count
    lines.removeAll { $0.hasSuffix(marker) && !$0.hasPrefix("#") }
    let removed = before - lines.count
    if let line { lines.append(line) }
    return (lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n", removed)
  }

  /// A systemd user service that keeps `listen` running: restarted when it fails, stopped by SIGTERM (which lets it
  /// finish the items in flight).
  public static func listenService(_ command: ScheduledCommand) -> String {
    """
    [Unit]
    Description=mjarchive listen (the gateway's callbacks)
    After=network-online.target

    [Service]
    Type=exec
    ExecStart=\(command.arguments.map(ProgramQuoting.systemdWord).joined(separator: " "))
    Restart=on-failure
    RestartSec=5
    KillSignal=SIGTERM
    TimeoutStopSec=120

    [Install]
    WantedBy=default.target
    """
  }

  /// A systemd user service and timer that run the same command, its words quoted by systemd's rules.
  public func systemdUnits(_ command: ScheduledCommand) -> (service: String, timer: String) {
    let service = """
      [Unit]
      Description=mjarchive sync

      [Service]
      Type=oneshot
      ExecStart=\(command.arguments.map(ProgramQuoting.systemdWord).joined(separator: " "))
      """
    let timer = """
      [Unit]
      Description=Run mjarchive sync every \(minutes) minutes

      [Timer]
      OnBootSec=2min
      OnUnitActiveSec=\(minutes)min
      Persistent=true

      [Install]
      WantedBy=timers.target
      """
    return (service, timer)
  }
}
