/// An `images` row as `verify` reads it: the file, its task, and (for an original) what became of the grid.
public struct ImageRecord: Sendable, Equatable {
  /// The task the file belongs to.
  public var taskId: String
  /// The file as recorded.
  public var file: StoredFile
  /// On an original: what became of it as a grid.
  public var split: SplitState
  /// On an original: whether the task is a 2×2 grid (U1–U4 buttons, or a grid-making action without buttons).
  public var isGrid: Bool

  public init(taskId: String, file: StoredFile, split: SplitState = .notSplit, isGrid: Bool = false) {
    self.taskId = taskId
    self.file = file
    self.split = split
    self.isGrid = isGrid
  }
}
