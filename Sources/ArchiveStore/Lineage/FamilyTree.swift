/// The family tree around a task: its root and everything made from it.
public struct FamilyTree: Sendable {
  /// The task asked about.
  public var focusId: String
  public var rootId: String
  /// Every node, each before its children, children oldest first.
  public var nodes: [LineageNode]
  /// The tasks from the root down to the focus.
  public var path: [String]
  /// Where the root is the reroll of another family's grid: that grid.
  public var rerolledFrom: String?
  /// Rerolls of this family's root grids, which start families of their own.
  public var rerolledInto: [String]
  /// Where the root was made by a button but its parent is not archived: what its traces point at.
  public var unresolvedParent: String?
  /// Bad data found in this family: self-references, loops, two parents for one child, missing parents.
  public var problems: [LineageProblem]

  /// The node with `id`.
  public func node(_ id: String) -> LineageNode? {
    nodes.first { $0.id == id }
  }
}
