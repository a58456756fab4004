/// The `code` of a submit answer, named as midjourney-proxy style gateways define them (`ReturnCode`).
///
/// A struct, not an enum: a gateway may send a code no list names, and it is kept as sent.
public struct SubmitCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int

  public init(rawValue: Int) {
    self.rawValue = rawValue
  }

  /// Accepted: `result` is the new task's id.
  public static let success = SubmitCode(rawValue: 1)
  /// The task an action or modal names does not exist (or has expired).
  public static let notFound = SubmitCode(rawValue: 3)
  /// The request is not valid (a missing prompt, a bad image, a button the task does not have).
  public static let validationError = SubmitCode(rawValue: 4)
  /// The gateway failed to submit it.
  public static let failure = SubmitCode(rawValue: 9)
  /// The task exists already, or (with an action) waits for `/mj/submit/modal`: `result` is its id.
  public static let existed = SubmitCode(rawValue: 21)
  /// Accepted and queued behind others: `result` is the new task's id.
  public static let inQueue = SubmitCode(rawValue: 22)
  /// The queue is full: nothing was made.
  public static let queueRejected = SubmitCode(rawValue: 23)
  /// The prompt holds a banned word (`properties.bannedWord`).
  public static let bannedPrompt = SubmitCode(rawValue: 24)
  /// The account's balance is too low (some gateways).
  public static let insufficientBalance = SubmitCode(rawValue: 25)

  public var description: String { String(rawValue) }
}
