/// One trace linking a child to a parent, as `lineage --explain` lists it.
public struct EdgeEvidence: Sendable, Equatable {
  public var childId: String
  public var parentId: String
  public var evidence: LineageEvidence
  public var step: LineageStep?
  public var customId: String?
  /// True when this is the link the tree uses.
  public var isUsed: Bool
  /// Why the link is not used, where it was rejected: `cycle`.
  public var rejected: String?
}
