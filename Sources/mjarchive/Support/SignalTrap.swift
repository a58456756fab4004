import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM for long work: the first asks it to stop cleanly, a second exits at once.
final class SignalTrap {
  private let sources: [any DispatchSourceSignal]
  private let count = Counter()

  /// Signals seen so far, shared with the handlers.
  private final class Counter: Sendable {
    let value = Mutex(0)
  }

  /// Starts trapping; `onFirst` runs (on a dispatch queue) when the first signal arrives.
  init(_ signals: [Int32] = [SIGINT, SIGTERM], onFirst: @escaping @Sendable () -> Void) {
    var sources: [any DispatchSourceSignal] = []
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      sources.append(source)
    }
    self.sources = sources
    for source in sources {
      source.setEventHandler { [count] in
        let seen = count.value.withLock { value in
          value += 1
          return value
        }
        if seen == 1 {
          Console.err("\nmjarchive: stopping after the current items (press Ctrl-C again to stop at once)")
          onFirst()
        } else {
          _exit(130)
        }
      }
      source.resume()
    }
  }

  /// True once a signal arrived.
  var fired: Bool { count.value.withLock { $0 > 0 } }

  deinit {
    for source in sources { source.cancel() }
  }
}
