import Basics
import MidjourneyAPI

/// Why `schedule` wrote nothing.
public enum ScheduleError: Error, CustomStringConvertible, Sendable, Equatable {
  /// `--every` is not an interval cron can run.
  case interval(String)
  /// A value holds a control character (a line break would add lines to the crontab or the unit).
  case controlCharacter(option: String)
  /// The base URL carries a password or a query token, which would show in `ps` and in the crontab.
  case secretInURL(option: String, shown: String)
  /// `--uninstall` found no line of this archive's in the crontab.
  case notInstalled(archive: String)
  /// Neither `--base-url` nor `MJ_BASE_URL` names the gateway.
  case noGateway
  /// The key is only in the environment, which cron does not see (and a key is never written into a crontab).
  case keyInEnvironment
  /// `crontab` could not be run or refused the table.
  case crontab(String)

  public var description: String {
    switch self {
    case .interval(let text):
      "--every takes minutes (1m–59m), hours (1h–23h) or 1d, not \"\(text.singleLine(limit: 40))\""
    case .controlCharacter(let option):
      "\(option) holds a line break or another control character, which would change the crontab or unit it is "
        + "written into: give a value without one"
    case .secretInURL(let option, let shown):
      "\(option) \(shown) carries a password or a query, which would be readable in the crontab and in ps: "
        + "give the gateway's plain URL and keep the key in a file (--api-key-file, chmod 600)"
    case .notInstalled(let archive):
      "no crontab line of mjarchive's runs sync for \(archive.singleLine(limit: 200)): nothing was removed "
        + "(crontab -l shows what is there)"
    case .noGateway:
      "no gateway configured: set MJ_BASE_URL or pass --base-url"
    case .keyInEnvironment:
      "cron does not see MJ_API_KEY, and a key is never written into a crontab: keep it in a file (chmod 600) and "
        + "pass --api-key-file"
    case .crontab(let reason):
      reason
    }
  }

  /// The exit code: 2 for a value the user gave, 1 for what the crontab said.
  public var exitCode: Int32 {
    switch self {
    case .interval, .controlCharacter, .secretInURL, .noGateway, .keyInEnvironment: 2
    case .notInstalled, .crontab: 1
    }
  }
}
