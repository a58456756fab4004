/// One task in a family tree.
public struct LineageNode: Sendable, Equatable {
  public var id: String
  /// Its parent in the tree; nil for the root.
  public var parentId: String?
  /// The task whose button made it: the tree parent, except for a reroll (made from the grid it sits beside).
  public var madeFromId: String?
  /// The button's step (kind and quadrant); nil for the root.
  public var step: LineageStep?
  /// The label of the button pressed as the parent showed it (U2, Zoom Out 2x, ⬅️), where the parent is stored.
  public var button: String?
  public var customId: String?
  /// How the link to the parent was learned.
  public var evidence: LineageEvidence?
  /// 0 for the root.
  public var depth: Int
  public var action: String?
  public var status: String?
  public var prompt: String?
  public var submitTime: Int64?
  /// The downloaded original, relative to the archive folder.
  public var imagePath: String?
  /// False for a parent known only from its children's traces.
  public var isStored: Bool
  /// Its children in the tree, oldest first.
  public var childIds: [String]

  /// What the step is called for people: the parent's button label, else the step's own label.
  public var buttonText: String? {
    LineageStep.text(button: button, step: step)
  }
}
