import Listen
import Testing

@Suite("Callback queue")
struct CallbackQueueTests {
  let start = ContinuousClock.now

  @Test("A finished callback is due at once; progress waits for a quiet spell; repeats coalesce")
  func coalescing() {
    let queue = CallbackQueue(quietPeriod: .seconds(10))
    #expect(queue.add(CallbackHint(taskId: "a", saysFinished: false), now: start) == .queued)
    #expect(queue.add(CallbackHint(taskId: "a", saysFinished: false), now: start + .seconds(5)) == .coalesced)
    #expect(queue.add(CallbackHint(taskId: "b", saysFinished: true), now: start) == .queued)
    #expect(queue.takeDue(now: start) == ["b"])
    // Each progress callback moves the fetch out: due 10 s after the last one.
    #expect(queue.takeDue(now: start + .seconds(14)).isEmpty)
    #expect(queue.takeDue(now: start + .seconds(15)) == ["a"])
    #expect(queue.count == 0)
  }

  @Test("A late progress callback does not delay a finished one, and steady progress is fetched within 4 periods")
  func orderAndBound() {
    let queue = CallbackQueue(quietPeriod: .seconds(10))
    _ = queue.add(CallbackHint(taskId: "a", saysFinished: true), now: start)
    _ = queue.add(CallbackHint(taskId: "a", saysFinished: false), now: start + .milliseconds(1))
    #expect(queue.takeDue(now: start + .milliseconds(2)) == ["a"])
    for second in stride(from: 0, through: 60, by: 5) {
      _ = queue.add(CallbackHint(taskId: "busy", saysFinished: false), now: start + .seconds(second))
    }
    #expect(queue.takeDue(now: start + .seconds(40)) == ["busy"])
  }

  @Test("Ids a pass is working on stay due until it ends")
  func busyIdsWait() {
    let queue = CallbackQueue(quietPeriod: .seconds(10))
    _ = queue.add(CallbackHint(taskId: "a", saysFinished: true), now: start)
    _ = queue.add(CallbackHint(taskId: "b", saysFinished: true), now: start)
    #expect(queue.takeDue(now: start, skipping: ["a"]) == ["b"])
    #expect(queue.count == 1)
    #expect(queue.takeDue(now: start + .seconds(1)) == ["a"])
  }

  @Test("A full queue refuses new ids; a recheck is bounded")
  func limits() {
    let queue = CallbackQueue(quietPeriod: .seconds(1), capacity: 2)
    #expect(queue.add(CallbackHint(taskId: "a", saysFinished: true), now: start) == .queued)
    #expect(queue.add(CallbackHint(taskId: "b", saysFinished: true), now: start) == .queued)
    #expect(queue.add(CallbackHint(taskId: "c", saysFinished: true), now: start) == .full)
    #expect(queue.add(CallbackHint(taskId: "a", saysFinished: true), now: start) == .coalesced)
    _ = queue.takeDue(now: start)
    var fetches = 0
    for round in 1...30 {
      queue.requeue(["a"], after: .seconds(1), recheck: true, now: start + .seconds(round))
      fetches += queue.takeDue(now: start + .seconds(round + 1)).count
    }
    #expect(fetches == 20)
  }
}
