/// Where `listen` listens and how it paces its work.
public struct ListenConfiguration: Sendable {
  /// Address to bind (127.0.0.1 by default: only this machine).
  public var host = "127.0.0.1"
  /// Port, or 0 for any free one.
  public var port = 8787
  /// A whole incremental sync this often, so callbacks the gateway never sent are caught; nil: only at start.
  public var syncEvery: Duration? = .seconds(15 * 60)
  /// How long a task's fetch waits after a callback that does not say it finished.
  public var quietPeriod: Duration = .seconds(20)
  /// Connections served at once; more wait to be accepted.
  public var maximumConnections = 64
  /// A connection with no request in flight, or a head not finished, is closed after this long.
  public var idleTimeout: Duration = .seconds(10)
  /// Time allowed for a request's body.
  public var bodyDeadline: Duration = .seconds(10)
  /// Largest body read.
  public var maximumBodyBytes = 1 << 20

  public init() {}
}
