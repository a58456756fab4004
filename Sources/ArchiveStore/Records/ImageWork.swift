/// A finished task whose image is not in the archive yet, or whose grid is not split yet.
public struct ImageWork: Sendable, Equatable {
  public var taskId: String
  public var action: String?
  /// The link as the gateway gave it.
  public var imageURL: String
  public var prompt: String?
  public var finalPrompt: String?
  /// True when the task carries U1–U4 buttons (or is of an action that makes grids).
  public var isGrid: Bool
  /// The original already downloaded, when only the split is missing.
  public var original: StoredFile?
}
