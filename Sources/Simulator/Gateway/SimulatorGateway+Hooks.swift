import Foundation
import MidjourneyAPI

extension SimulatorGateway {
  // MARK: - Callbacks

  /// What the simulator did with its callbacks so far.
  public var hookCounts: HookDeliveryCounts {
    state.withLock { $0.hookCounts }
  }

  /// The callbacks due now: one for each task with an address whose step changed since the last one, the task as
  /// `fetch` answers it, with the fault plan's drops, copies and late repeats drawn.
  func dueCallbacks() -> [HookCallback] {
    let now = clock.now
    let faults = configuration.hookFaults
    let candidates = state.withLock { state in
      state.hooked.compactMap { id, sent in state.tasks[id].map { ($0, sent) } }
    }
    var due: [(task: SimulatedTask, step: Int, body: Data)] = []
    for (task, sent) in candidates {
      let step = task.callbackStep(at: now)
      guard step != sent else { continue }
      due.append((task, step, Data(taskJSON(task).serialized().utf8)))
    }
    return state.withLock { state in
      var callbacks: [HookCallback] = []
      for (task, step, body) in due {
        guard let url = task.notifyHook else { continue }
        state.hookCounts.due += 1
        var copies = 1
        if Double.random(in: 0..<1, using: &state.hookRandom) < faults.dropRate {
          copies = 0
          state.hookCounts.dropped += 1
        } else if Double.random(in: 0..<1, using: &state.hookRandom) < faults.duplicateRate {
          copies = 2
          state.hookCounts.duplicated += 1
        }
        callbacks.append(HookCallback(url: url, body: body, taskId: task.id, copies: copies))
        if step == 5 {
          state.hooked[task.id] = nil
          if faults.reorder, let late = state.lastProgressCallback.removeValue(forKey: task.id) {
            state.hookCounts.late += 1
            callbacks.append(HookCallback(url: url, body: late, taskId: task.id, copies: 1))
          }
        } else {
          state.hooked[task.id] = step
          if step > 1 { state.lastProgressCallback[task.id] = body }
        }
      }
      return callbacks
    }
  }

  /// Counts one POST's outcome.
  func countDelivery(succeeded: Bool) {
    state.withLock { state in
      if succeeded { state.hookCounts.delivered += 1 } else { state.hookCounts.failed += 1 }
    }
  }
}
