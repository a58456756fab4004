import Foundation
import Sync
import Synchronization

/// One live line on stderr while a sync runs (tasks or images done, bytes, rate, ETA), drawn only on
/// a terminal, never under cron.
final class SyncProgressLine: Sendable {
  private let label: String
  private let state = Mutex<(drawn: Bool, phase: SyncProgress.Phase?, started: ContinuousClock.Instant)>(
    (false, nil, .now))

  /// A line that starts with `label` (the command).
  init(label: String = "sync") {
    self.label = label
  }

  /// Redraws the line.
  func draw(_ progress: SyncProgress) {
    guard Console.stderrIsTerminal else { return }
    state.withLock { state in
      if state.phase != progress.phase {
        state.phase = progress.phase
        state.started = .now
      }
      let seconds = (ContinuousClock.now - state.started).inSeconds
      let rate = seconds > 0 ? Double(progress.done) / seconds : 0
      let remaining = rate > 0 ? Int(Double(progress.total - progress.done) / rate) : 0
      let bytes = ByteCountFormatter.string(fromByteCount: Int64(progress.bytes), countStyle: .file)
      let failed = progress.failed > 0 ? " · \(progress.failed) failed" : ""
      let line =
        "\(label): \(progress.phase.rawValue) \(progress.done)/\(progress.total) · \(bytes) · "
        + String(format: "%.1f/s", rate)
        + " · ETA \(remaining / 60)m\(String(format: "%02d", remaining % 60))s\(failed)"
      Console.err("\r\u{1B}[2K" + line, newline: false)
      state.drawn = true
    }
  }

  /// Clears the line.
  func finish() {
    state.withLock { state in
      if state.drawn { Console.err("\r\u{1B}[2K", newline: false) }
      state.drawn = false
    }
  }
}
