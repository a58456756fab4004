/// A submit as recorded before it was sent, and what became of it.
public struct Submission: Sendable, Equatable {
  /// What is known of a submit's result.
  public enum Outcome: String, Sendable {
    /// Recorded, no answer yet: the process may have stopped while it was in flight.
    case sending
    /// The gateway answered with a task id.
    case accepted
    /// The gateway answered no: nothing was made.
    case refused
    /// The request provably never reached the gateway (connection refused).
    case notSent = "not_sent"
    /// It may have reached the gateway, but the answer was lost.
    case unknown
    /// Found later in the gateway's task list by its `state`.
    case found
    /// Not in the gateway's task list after the grace period.
    case notFound = "not_found"

    /// True while a task may exist that the archive has not linked yet.
    public var isPending: Bool { self == .sending || self == .unknown }
  }

  /// The correlation value sent with the submit.
  public var state: String
  /// imagine, blend, describe, shorten or action.
  public var route: String
  public var parentId: String?
  public var customId: String?
  /// Unix milliseconds, recorded before sending.
  public var sentAt: Int64
  public var outcome: Outcome
  public var taskId: String?
  public var detail: String?
}
