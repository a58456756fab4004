import Foundation

/// One POST the simulated gateway owes a task's callback address: the whole task as JSON.
struct HookCallback: Sendable {
  let url: String
  let body: Data
  let taskId: String
  /// Times to send it: 0 when dropped, 2 when duplicated.
  let copies: Int
}
