import ArchiveStore

/// What `listen` tells its caller as it works, for a live line on a terminal.
public enum ListenEvent: Sendable {
  /// The receiver is up on this port.
  case listening(port: Int)
  /// A pass finished: tasks a callback named (nil for a whole sync), what the sync did, callbacks so far.
  case passed(hinted: Int?, fetched: Int, images: Int, failed: Int, callbacks: CallbackCounts)
  /// The archive was busy (another sync holds its lock): the pass waits.
  case waitingForLock(holder: String)
}
