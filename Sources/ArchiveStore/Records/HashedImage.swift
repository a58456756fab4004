/// An original or quadrant of the archive with its perceptual hashes.
public struct HashedImage: Sendable, Equatable {
  public var taskId: String
  /// `original` or `quadrant`.
  public var kind: String
  /// Quadrant 1–4 (U1–U4), 0 for the whole picture.
  public var part: Int
  /// Relative to the archive folder.
  public var path: String
  public var sha256: String
  public var hashes: ImageHashes

  public init(taskId: String, kind: String, part: Int, path: String, sha256: String, hashes: ImageHashes) {
    self.taskId = taskId
    self.kind = kind
    self.part = part
    self.path = path
    self.sha256 = sha256
    self.hashes = hashes
  }

  /// `TASK` for a whole picture, `TASK:N` for quadrant N: how `similar` names a picture.
  public var name: String { part == 0 ? taskId : "\(taskId):\(part)" }
}
