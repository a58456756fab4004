import Synchronization

/// Task ids named by callbacks, waiting to be fetched, coalesced so a task costs one fetch.
///
/// A callback that says the task finished makes its fetch due at once. Any other (submitted, each progress step)
/// only says the task is alive: its fetch waits for a quiet spell with no further callback, so a task whose final
/// callback arrives costs that one fetch, and a task whose final callback is lost is still fetched soon after its
/// last progress. Repeats of a pending id cost nothing.
public final class CallbackQueue: Sendable {
  /// What became of one callback.
  public enum Outcome: Sendable, Equatable {
    /// A new id waits.
    case queued
    /// The id was waiting already.
    case coalesced
    /// The queue is full: the callback is refused (the periodic sync still catches the task).
    case full
  }

  private struct Entry {
    var due: ContinuousClock.Instant
    /// When the id was first queued: a task that keeps sending progress is still fetched within `longestWait`.
    var firstSeen: ContinuousClock.Instant
    /// A callback said the task finished: a later (out of order) progress callback does not delay it.
    var saidFinished = false
  }

  private let entries = Mutex<[String: Entry]>([:])
  /// Fetches that found each id unfinished, kept while it is not waiting (bounded: cleared when it reaches
  /// `capacity`, which only lets a few ids be looked at again sooner).
  private let rechecks = Mutex<[String: Int]>([:])
  /// How long a task's fetch waits after a callback that does not say it finished.
  public let quietPeriod: Duration
  /// Most ids waiting at once; each costs about a hundred bytes.
  public let capacity: Int
  /// Most times an id found unfinished is queued again; after that the periodic sync looks after it.
  static let maximumRechecks = 20

  public init(quietPeriod: Duration, capacity: Int = 100_000) {
    self.quietPeriod = quietPeriod
    self.capacity = capacity
  }

  /// Ids waiting.
  public var count: Int { entries.withLock { $0.count } }

  private var longestWait: Duration { quietPeriod * 4 }

  /// Queues the task a callback names.
  public func add(_ hint: CallbackHint, now: ContinuousClock.Instant = .now) -> Outcome {
    entries.withLock { entries in
      if var entry = entries[hint.taskId] {
        if hint.saysFinished {
          entry.saidFinished = true
          entry.due = min(entry.due, now)
        } else if !entry.saidFinished {
          entry.due = min(max(entry.due, now + quietPeriod), entry.firstSeen + longestWait)
        }
        entries[hint.taskId] = entry
        return .coalesced
      }
      guard entries.count < capacity else { return .full }
      entries[hint.taskId] = Entry(
        due: hint.saysFinished ? now : now + quietPeriod, firstSeen: now, saidFinished: hint.saysFinished)
      return .queued
    }
  }

  /// Takes the ids whose fetch is due, oldest due first.
  ///
  /// - Parameter busy: Ids a pass is working on now: they stay, due, until it has ended (a callback during a pass
  ///   may tell of a change the pass's fetch came too early to see).
  public func takeDue(now: ContinuousClock.Instant = .now, skipping busy: Set<String> = []) -> [String] {
    entries.withLock { entries in
      let due = entries.filter { $0.value.due <= now && !busy.contains($0.key) }.sorted { $0.value.due < $1.value.due }
        .map(\.key)
      for id in due { entries[id] = nil }
      return due
    }
  }

  /// When the next fetch is due, or nil when none waits.
  public var nextDue: ContinuousClock.Instant? {
    entries.withLock { $0.values.map(\.due).min() }
  }

  /// Queues ids again: ones a fetch found unfinished (after a quiet period, a bounded number of times), or ones not
  /// fetched because the archive was busy (`delay`, no limit).
  public func requeue(_ ids: [String], after delay: Duration, recheck: Bool, now: ContinuousClock.Instant = .now) {
    let allowed =
      recheck
      ? rechecks.withLock { counts in
        if counts.count >= capacity { counts.removeAll() }
        return ids.filter { id in
          counts[id, default: 0] += 1
          return counts[id, default: 0] <= Self.maximumRechecks
        }
      } : ids
    entries.withLock { entries in
      for id in allowed {
        var entry = entries[id] ?? Entry(due: now + delay, firstSeen: now)
        entry.due = min(entry.due, now + delay)
        entries[id] = entry
      }
    }
  }
}
