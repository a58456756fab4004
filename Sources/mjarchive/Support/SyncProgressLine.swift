import Foundation
import Synchronization
import Sync

/// One live line on stderr while a sync runs, drawn only on a terminal (never under cron).
final class SyncProgressLine: Sendable {
  private let drawn = Mutex(false)

  /// Redraws the line.
  func draw(_ progress: SyncProgress) {
    guard Console.stderrIsTerminal else { return }
    let bytes = ByteCountFormatter.string(fromByteCount: Int64(progress.bytes), countStyle: .file)
    let failed = progress.failed > 0 ? " · \(progress.failed) failed" : ""
    drawn.withLock { drawn in
      Console.err("\r\u{1B}[2Ksync: \(progress.phase.rawValue) \(progress.done)/\(progress.total) · \(bytes)\(failed)", newline: false)
      drawn = true
    }
  }

  /// Clears the line.
  func finish() {
    drawn.withLock { drawn in
      if drawn { Console.err("\r\u{1B}[2K", newline: false) }
      drawn = false
    }
  }
}
