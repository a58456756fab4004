/// An entry of a task list that is not a usable task: reported, never silently dropped.
public struct UnreadableTask: Sendable, Equatable {
  /// Its id, when one could be read and is safe to show.
  public var id: String?
  /// What is wrong with it.
  public var reason: String

  public init(id: String?, reason: String) {
    self.id = id
    self.reason = reason
  }
}
