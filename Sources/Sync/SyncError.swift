import ArchiveStore
import Basics
import MidjourneyAPI
import ObjectStorage

/// What can stop work that needs both the gateway and the archive.
public enum SyncError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The gateway failed or refused.
  case gateway(GatewayError)
  /// The archive failed.
  case store(StoreError)
  /// The gateway has no task list, so submits whose answer was lost cannot be looked up.
  case noTaskList
  /// The archive's image folders cannot be used.
  case files(String)
  /// Another sync holds the archive's lock.
  case locked(holder: String)
  /// SQLite found the database itself damaged: repair leaves it alone.
  case damagedDatabase(String)
  /// The bucket the archive keeps its images in refused (credentials, region, clock, no such bucket).
  case bucket(S3Error)

  public var description: String {
    switch self {
    case .gateway(let error): return error.description
    case .store(let error): return error.description
    case .noTaskList:
      return
        "the gateway has no task list route (GET /mj/task/list), so lost submits cannot be looked up by their state: "
        + "find the task on the gateway and add it with `mjarchive track <id>`"
    case .files(let detail): return detail
    case .bucket(let error): return error.description
    case .locked(let holder):
      return "another sync is running on this archive (\(holder)): this one stops; cron will try again"
    case .damagedDatabase(let message):
      return
        "the archive's database is damaged (SQLite: \(message.singleLine(limit: 160))); nothing was repaired: copy the "
        + "folder aside, then rebuild it with `sqlite3 archive.sqlite .recover | sqlite3 new.sqlite`"
    }
  }

  /// The process exit code: the gateway's or the archive's, else 1.
  public var exitCode: Int32 {
    switch self {
    case .gateway(let error): return error.exitCode
    case .store(let error): return error.exitCode
    case .noTaskList, .files, .damagedDatabase: return 1
    case .locked: return 4
    case .bucket(let error): return error.exitCode
    }
  }
}
