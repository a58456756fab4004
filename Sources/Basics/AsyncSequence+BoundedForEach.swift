extension AsyncSequence where Element: Sendable, Failure == Never {
  /// Runs `body` for each element as it arrives, at most `limit` at once; once `shouldStop` says so, the rest are
  /// taken and dropped, so whoever yields them never waits.
  public func boundedForEach(
    limit: Int, shouldStop: @escaping () -> Bool = { false }, _ body: @escaping @Sendable (Element) async -> Void
  ) async {
    await withTaskGroup(of: Void.self) { group in
      var running = 0
      for await element in self {
        if running >= Swift.max(1, limit) {
          await group.next()
          running -= 1
        }
        guard !shouldStop(), !Task.isCancelled else { continue }
        group.addTask { await body(element) }
        running += 1
      }
    }
  }
}

extension Sequence where Element: Sendable {
  /// Runs `body` for each element, at most `limit` at once, as `AsyncSequence.boundedForEach` does.
  public func boundedForEach(
    limit: Int, shouldStop: @escaping () -> Bool = { false }, _ body: @escaping @Sendable (Element) async -> Void
  ) async {
    let (stream, continuation) = AsyncStream<Element>.makeStream()
    for element in self { continuation.yield(element) }
    continuation.finish()
    await stream.boundedForEach(limit: limit, shouldStop: shouldStop, body)
  }
}
