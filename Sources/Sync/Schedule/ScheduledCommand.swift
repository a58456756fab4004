import Basics
import Foundation
import MidjourneyAPI

/// The `mjarchive sync` command a schedule runs, with every value cron or systemd will not see spelled out.
///
/// Each value is checked before it is written anywhere: no control character (a line break in a path would add
/// lines to the crontab, and cron would run them), and no secret in the base URL (a crontab and a command line are
/// readable by others).
public struct ScheduledCommand: Sendable, Equatable {
  /// The binary, by absolute path (cron's PATH is minimal).
  public var executable: String
  /// The archive folder, absolute.
  public var archive: String
  public var baseURL: String
  public var timeoutSeconds: Int
  public var mode: String?
  public var proxy: String?
  /// The API key file, absolute.
  public var apiKeyFile: String?
  /// The log file sync appends to, absolute.
  public var logFile: String
  /// `--max-duration` in minutes: a run stops before the next one is due, rather than hold the lock into its slot.
  public var maxDurationMinutes: Int?
  /// What runs: a sync, or `listen` kept running.
  public private(set) var job = Job.sync

  /// The command a schedule runs.
  public enum Job: Sendable, Equatable {
    /// `mjarchive sync`, run on a schedule.
    case sync
    /// `mjarchive listen --bind … --port …`, kept running.
    case listen(bind: String, port: Int)

    /// The subcommand's name, also in the crontab line's marker.
    public var name: String {
      switch self {
      case .sync: "sync"
      case .listen: "listen"
      }
    }
  }

  /// Checks and records the values.
  ///
  /// - Throws: `ScheduleError.controlCharacter` naming the option whose value holds one, `.secretInURL` for a base
  ///   URL or proxy with a password or a query.
  public init(
    executable: String, archive: String, baseURL: String, timeoutSeconds: Int, mode: String?, proxy: String?,
    apiKeyFile: String?, logFile: String?, maxDurationMinutes: Int? = nil
  ) throws(ScheduleError) {
    let values: [(String, String?)] = [
      ("the mjarchive binary's path", executable), ("--archive", archive), ("--base-url", baseURL), ("--mode", mode),
      ("--proxy", proxy), ("--api-key-file", apiKeyFile), ("--log-file", logFile),
    ]
    for case (let option, let value?) in values where ProgramQuoting.hasControlCharacter(value) {
      throw .controlCharacter(option: option)
    }
    for case (let option, let value?) in [("--base-url", baseURL), ("--proxy", proxy)] where Self.carriesSecret(value) {
      throw .secretInURL(option: option, shown: value.redactedURL.singleLine(limit: 80))
    }
    self.executable = executable
    self.archive = archive
    self.baseURL = baseURL
    self.timeoutSeconds = timeoutSeconds
    self.mode = mode
    self.proxy = proxy
    self.apiKeyFile = apiKeyFile
    self.logFile = logFile ?? archive + "/sync.log"
    self.maxDurationMinutes = maxDurationMinutes
  }

  /// The same values running `listen` on `bind` and `port` instead (no `--max-duration`: it keeps running).
  ///
  /// - Throws: `ScheduleError.controlCharacter` when `bind` holds a control character.
  public func listening(bind: String, port: Int) throws(ScheduleError) -> ScheduledCommand {
    if ProgramQuoting.hasControlCharacter(bind) { throw .controlCharacter(option: "--bind") }
    var copy = self
    copy.job = .listen(bind: bind, port: port)
    copy.maxDurationMinutes = nil
    return copy
  }

  /// The words of the command, unquoted.
  public var arguments: [String] {
    var words = [
      executable, job.name, "--archive", archive, "--base-url", baseURL, "--timeout", String(timeoutSeconds),
    ]
    if case .listen(let bind, let port) = job { words += ["--bind", bind, "--port", String(port)] }
    if let mode { words += ["--mode", mode] }
    if let proxy { words += ["--proxy", proxy] }
    if let apiKeyFile { words += ["--api-key-file", apiKeyFile] }
    if let maxDurationMinutes { words += ["--max-duration", "\(maxDurationMinutes)m"] }
    return words + ["--log-file", logFile]
  }

  /// True for a URL with a `user:password@` part or a query.
  private static func carriesSecret(_ url: String) -> Bool {
    url.redactedURL != url
  }
}
