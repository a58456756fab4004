/// Pictures near enough to one another to be one picture: each is within the distance of another in the group.
public struct DuplicateGroup: Sendable, Equatable {
  /// The members, the first the one the others are measured from, then nearest first.
  public var members: [SimilarImage]

  public init(members: [SimilarImage]) {
    self.members = members
  }
}
