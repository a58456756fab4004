/// What `listen` did with the callbacks it received (shown by `stats`).
public struct CallbackCounts: Sendable, Equatable {
  /// Callbacks accepted: the right address, a JSON body naming a task.
  public var received = 0
  /// Accepted callbacks for a task already waiting: they cost no fetch.
  public var coalesced = 0
  /// Tasks fetched from the gateway because of a callback.
  public var fetched = 0
  /// Requests refused: another path, a body too big, not JSON, no valid task id, a full queue.
  public var rejected = 0

  public init(received: Int = 0, coalesced: Int = 0, fetched: Int = 0, rejected: Int = 0) {
    self.received = received
    self.coalesced = coalesced
    self.fetched = fetched
    self.rejected = rejected
  }

  /// The counts as name and value, in the order `stats` shows them.
  public var named: [(String, Int)] {
    [("received", received), ("coalesced", coalesced), ("fetched", fetched), ("rejected", rejected)]
  }
}
