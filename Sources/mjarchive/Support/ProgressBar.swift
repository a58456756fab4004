import MidjourneyAPI

/// A one-line progress bar on stderr, drawn only on a terminal.
struct ProgressBar {
  private let label: String
  private var drawn = false

  init(label: String) {
    self.label = label
  }

  /// Redraws the bar for the task's current state.
  mutating func update(_ task: GatewayTask) {
    guard Console.stderrIsTerminal else { return }
    let percent = task.progressPercent ?? 0
    let filled = percent * 24 / 100
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled)
    let status = task.status?.rawValue ?? "?"
    Console.err(
      "\r\u{1B}[2K\(label) \(bar) \(String(percent).padding(toLength: 3, withPad: " ", startingAt: 0))% \(status)",
      newline: false)
    drawn = true
  }

  /// Clears the line so the next output starts clean.
  mutating func finish() {
    guard drawn else { return }
    Console.err("\r\u{1B}[2K", newline: false)
    drawn = false
  }
}
