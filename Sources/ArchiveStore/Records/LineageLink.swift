/// One stored lineage edge: how a child was made and where it sits in its family tree.
public struct LineageLink: Sendable, Equatable {
  public var childId: String
  /// The task whose button made the child.
  public var madeFromId: String
  /// The child's parent in the family tree: `madeFromId`, except that a reroll sits beside the grid it rerolled
  /// (nil: the reroll of a root starts a family of its own).
  public var treeParentId: String?
  public var step: LineageStep?
  /// The button's label as the parent showed it, where the parent is stored.
  public var button: String?

  /// What the step is called for people: the parent's button label, else the step's own label.
  public var buttonText: String? {
    LineageStep.text(button: button, step: step)
  }
}
