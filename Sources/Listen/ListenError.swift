import Sync

/// What stops `listen`, each with what to do about it.
public enum ListenError: Error, CustomStringConvertible, Sendable {
  /// The hook token cannot be read or kept.
  case token(String)
  /// The address cannot be listened on.
  case bind(address: String, reason: String)
  /// The sync under it stopped (the gateway refused the key, the archive failed).
  case sync(SyncError)

  public var description: String {
    switch self {
    case .token(let detail): return detail
    case .bind(let address, let reason):
      return "cannot listen on \(address) (\(reason)): choose another --port, or stop what uses it"
    case .sync(let error): return error.description
    }
  }

  /// The process exit code: 2 for what the user gave, the sync's own otherwise.
  public var exitCode: Int32 {
    switch self {
    case .token, .bind: return 2
    case .sync(let error): return error.exitCode
    }
  }
}
