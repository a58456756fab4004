/// How a parent → child link was learned, strongest first; a weaker kind never overrides a stronger one.
public enum LineageEvidence: Int, Sendable, CaseIterable, CustomStringConvertible {
  /// mjarchive pressed the button itself: the parent and customId are exact.
  case submitted = 1
  /// The child's `parentId`.
  case parentId = 2
  /// The child's `referencedMessageId` (or `progressMessageId`) is the parent's `messageId`.
  case referencedMessage = 3
  /// The job hash inside the child's customId is the parent's `messageHash` (or its image's file name).
  case jobHash = 4

  public var description: String {
    switch self {
    case .submitted: "submitted here"
    case .parentId: "parentId"
    case .referencedMessage: "referenced message"
    case .jobHash: "job hash"
    }
  }
}
