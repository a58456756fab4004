import Foundation

/// How often cron (or a systemd timer) runs `mjarchive sync`, and the lines that make it so.
public struct SyncSchedule: Sendable, Equatable {
  /// Minutes between runs (a divisor-friendly step: cron's `*/N`).
  public let minutes: Int

  /// Reads `15m`, `2h` or `1d`.
  ///
  /// - Throws: `ScheduleError` saying what is accepted.
  public init(every text: String) throws(ScheduleError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard let unit = trimmed.last, let value = Int(trimmed.dropLast()), value > 0 else {
      throw ScheduleError(text: text)
    }
    switch unit {
    case "m" where value <= 59: minutes = value
    case "h" where value <= 23: minutes = value * 60
    case "d" where value == 1: minutes = 1_440
    default: throw ScheduleError(text: text)
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

  /// The marker that ends mjarchive's crontab line for one archive, so install and uninstall find it.
  public static func marker(archive: String) -> String {
    "# mjarchive sync: \(archive)"
  }

  /// The crontab line: absolute binary, archive and key file, output appended to the log.
  public func cronLine(command: [String], archive: String) -> String {
    ([cronFields] + command.map(Self.shellQuoted)).joined(separator: " ") + " " + Self.marker(archive: archive)
  }

  /// `crontab` text with this archive's line replaced by `line` (nil removes it); other lines are kept as they are.
  public static func crontab(_ current: String, setting line: String?, archive: String) -> String {
    let marker = marker(archive: archive)
    var lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    lines.removeAll { $0.hasSuffix(marker) }
    if let line { lines.append(line) }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  /// A systemd user service and timer that run the same command.
  public func systemdUnits(command: [String]) -> (service: String, timer: String) {
    let service = """
      [Unit]
      Description=mjarchive sync

      [Service]
      Type=oneshot
      ExecStart=\(command.map(Self.shellQuoted).joined(separator: " "))
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

  /// Quotes a word for sh (and cron) when it holds anything but safe characters.
  static func shellQuoted(_ word: String) -> String {
    let safe = word.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "/._-:=,@+".unicodeScalars.contains($0)
    }
    if safe && !word.isEmpty { return word }
    // cron treats % as a newline: escape it.
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "%", with: "\\%") + "'"
  }
}

/// An interval `schedule --every` cannot use.
public struct ScheduleError: Error, CustomStringConvertible, Sendable {
  public var text: String
  public var description: String {
    "--every takes minutes (1m–59m), hours (1h–23h) or 1d, not \"\(text.prefix(40))\""
  }
}
