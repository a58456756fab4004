import Foundation
import GRDB
import MidjourneyAPI

/// Submits recorded before they are sent, so that no paid task is ever lost without a trace.
extension ArchiveStore {
  /// Records a submit before it is sent; `request` must carry its correlation `state`.
  ///
  /// - Throws: `StoreError` when it cannot be recorded: the caller must then not send it.
  public func recordSending(_ request: SubmitRequest, parent: (id: String, customId: String)? = nil) throws(StoreError)
  {
    guard let state = request.state else { throw StoreError.invalidFilter("a submit needs a state to be recorded") }
    let now = Self.nowMilliseconds()
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO submissions (state, route, request, parent_id, custom_id, sent_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(state) DO UPDATE SET route = excluded.route, request = excluded.request, parent_id = excluded.parent_id,
            custom_id = excluded.custom_id, sent_at = excluded.sent_at, outcome = 'sending', task_id = NULL, detail = NULL,
            resolved_at = NULL
          """,
        arguments: [state, request.route, request.recordedBody, parent?.id, parent?.customId, now])
    }
  }

  /// Marks a recorded submit accepted and remembers its task (with the exact parent for an action).
  public func recordAccepted(state: String, result: SubmitResult) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      let parent = try Row.fetchOne(
        db, sql: "SELECT parent_id, custom_id FROM submissions WHERE state = ?", arguments: [state])
      try db.execute(
        sql: "UPDATE submissions SET outcome = 'accepted', task_id = ?, resolved_at = ? WHERE state = ?",
        arguments: [result.taskId, now, state])
      try Self.rememberSubmitted(
        taskId: result.taskId, parentId: parent?["parent_id"], customId: parent?["custom_id"],
        response: result.response.raw,
        in: db, now: now)
    }
  }

  /// Marks how a recorded submit failed: `.refused`, `.notSent` or `.unknown` (it may have arrived).
  public func recordFailure(state: String, outcome: Submission.Outcome, detail: String) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      try db.execute(
        sql: "UPDATE submissions SET outcome = ?, detail = ?, resolved_at = ? WHERE state = ?",
        arguments: [outcome.rawValue, detail, outcome.isPending ? nil : now, state])
    }
  }

  /// Submits that may have made a task the archive has not linked yet, oldest first.
  public func pendingSubmissions() throws(StoreError) -> [Submission] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT state, route, parent_id, custom_id, sent_at, outcome, task_id, detail FROM submissions
          WHERE outcome IN ('sending', 'unknown') ORDER BY sent_at
          """
      ).map { row in
        Submission(
          state: row["state"], route: row["route"], parentId: row["parent_id"], customId: row["custom_id"],
          sentAt: row["sent_at"], outcome: Submission.Outcome(rawValue: row["outcome"]) ?? .unknown,
          taskId: row["task_id"],
          detail: row["detail"])
      }
    }
  }

  /// Links a pending submit to the task found by its `state`, and stores the task.
  public func recordFound(_ submission: Submission, task: GatewayTask) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      try db.execute(
        sql: "UPDATE submissions SET outcome = 'found', task_id = ?, resolved_at = ? WHERE state = ?",
        arguments: [task.id, now, submission.state])
      try Self.rememberSubmitted(
        taskId: task.id, parentId: submission.parentId, customId: submission.customId, response: nil, in: db, now: now)
      _ = try Self.storeBatch([task], in: db, now: now)
    }
  }
}
