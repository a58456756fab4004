/// Where a task stands; values the gateway invents later are kept as `unknown`.
public enum TaskStatus: Sendable, Hashable, CustomStringConvertible {
  case notStarted, submitted, modal, inProgress, failure, success, cancel
  case unknown(String)

  private static let known: [(String, TaskStatus)] = [
    ("NOT_START", .notStarted), ("SUBMITTED", .submitted), ("MODAL", .modal),
    ("IN_PROGRESS", .inProgress), ("FAILURE", .failure), ("SUCCESS", .success), ("CANCEL", .cancel),
  ]

  public init(rawValue: String) {
    self = Self.known.first(where: { $0.0 == rawValue })?.1 ?? .unknown(rawValue)
  }

  /// The wire spelling, such as `IN_PROGRESS`.
  public var rawValue: String {
    if case .unknown(let value) = self { return value }
    return Self.known.first(where: { $0.1 == self })?.0 ?? ""
  }

  /// True once the task will not change any more.
  public var isFinal: Bool {
    switch self {
    case .success, .failure, .cancel: return true
    default: return false
    }
  }

  public var description: String { rawValue }
}
