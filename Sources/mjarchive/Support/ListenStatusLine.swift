import ArchiveStore
import Basics
import Listen
import Synchronization

/// `listen`'s live line on stderr (the port, callbacks so far, the last pass), drawn only on a terminal.
final class ListenStatusLine: Sendable {
  private let state = Mutex<(drawn: Bool, port: Int)>((false, 0))

  /// Redraws the line for one event.
  func show(_ event: ListenEvent) {
    guard Console.stderrIsTerminal else { return }
    state.withLock { state in
      let text: String
      switch event {
      case .listening(let port):
        state.port = port
        text = "listening on port \(port)"
      case .passed(let hinted, let fetched, let images, let failed, let callbacks):
        let what = hinted.map { "\($0) task\($0 == 1 ? "" : "s") named by callbacks" } ?? "whole sync"
        text =
          "port \(state.port) · \(callbacks.received) callbacks (\(callbacks.coalesced) coalesced, "
          + "\(callbacks.rejected) rejected) · last: \(what), \(fetched) fetched, \(images) images"
          + (failed > 0 ? ", \(failed) failed" : "")
      case .waitingForLock(let holder):
        text = "waiting for the archive: another sync holds it (\(holder))"
      }
      Console.err("\r\u{1B}[2Klisten: " + text.singleLine(limit: 200), newline: false)
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
