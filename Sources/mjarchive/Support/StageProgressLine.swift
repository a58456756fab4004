import Gallery
import Synchronization

/// One live line on stderr while a long command works through its stages, drawn only on a terminal.
final class StageProgressLine: Sendable {
  private let command: String
  private let drawn = Mutex(false)

  /// A line that starts with `command` (`export-gallery`).
  init(command: String) {
    self.command = command
  }

  /// Redraws the line for a gallery export's stage.
  func draw(_ progress: GalleryProgress) {
    draw(stage: progress.stage, done: progress.done, total: progress.total)
  }

  /// Redraws the line: the stage, and `done/total` when the total is known.
  func draw(stage: String, done: Int, total: Int) {
    guard Console.stderrIsTerminal else { return }
    let count = total > 0 ? " \(done)/\(total)" : ""
    drawn.withLock { drawn in
      Console.err("\r\u{1B}[2K\(command): \(stage)\(count)", newline: false)
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
