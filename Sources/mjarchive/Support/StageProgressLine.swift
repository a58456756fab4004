import Gallery
import Synchronization

/// One live line on stderr while a gallery is exported, drawn only on a terminal.
final class GalleryProgressLine: Sendable {
  private let drawn = Mutex(false)

  /// Redraws the line.
  func draw(_ progress: GalleryProgress) {
    guard Console.stderrIsTerminal else { return }
    let count = progress.total > 0 ? " \(progress.done)/\(progress.total)" : ""
    drawn.withLock { drawn in
      Console.err("\r\u{1B}[2Kexport-gallery: \(progress.stage)\(count)", newline: false)
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
