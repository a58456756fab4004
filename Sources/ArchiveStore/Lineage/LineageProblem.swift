/// Lineage evidence that cannot all be true, found while deriving or reading a family.
public struct LineageProblem: Sendable, Equatable, CustomStringConvertible {
  /// What is wrong.
  public enum Kind: String, Sendable {
    /// A task names itself as its parent.
    case selfReference
    /// The link would close a loop, so it is not used.
    case cycle
    /// Two parents claim the child with equally strong evidence; the first by id is used.
    case conflict
    /// The parent is known by id only: it is not in the archive.
    case missingParent
  }

  public var kind: Kind
  public var childId: String
  public var parentIds: [String]
  public var evidence: LineageEvidence?

  public var description: String {
    let by = evidence.map { " (by \($0))" } ?? ""
    switch kind {
    case .selfReference:
      return "task \(childId) names itself as its parent\(by); the link is ignored"
    case .cycle:
      return "task \(childId) → \(parentIds.joined(separator: ", ")) would close a loop\(by); the link is not used"
    case .conflict:
      return
        "task \(childId) is claimed by \(parentIds.count) parents\(by): \(parentIds.joined(separator: ", ")); \(parentIds.first ?? "") is used"
    case .missingParent:
      return
        "task \(childId)'s parent \(parentIds.first ?? "") is not in the archive (`mjarchive track \(parentIds.first ?? "")` then sync fetches it)"
    }
  }
}
