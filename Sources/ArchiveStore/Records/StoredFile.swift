/// A file sync put in the archive folder for a task: the original, a quadrant or a thumbnail.
public struct StoredFile: Sendable, Equatable {
  /// What the file is.
  public enum Kind: String, Sendable {
    case original, quadrant, thumbnail
  }

  public var kind: Kind
  /// Quadrant 1–4 (U1–U4), 0 for the whole image.
  public var part: Int
  /// A thumbnail's longest edge, 0 otherwise.
  public var edge: Int
  /// Relative to the archive folder.
  public var path: String
  public var sha256: String
  /// PNG, WEBP or JPEG.
  public var format: String
  public var width: Int?
  public var height: Int?
  public var bytes: Int
  /// The link an original was downloaded from.
  public var sourceURL: String?

  public init(
    kind: Kind, part: Int = 0, edge: Int = 0, path: String, sha256: String, format: String, width: Int? = nil,
    height: Int? = nil, bytes: Int, sourceURL: String? = nil
  ) {
    self.kind = kind
    self.part = part
    self.edge = edge
    self.path = path
    self.sha256 = sha256
    self.format = format
    self.width = width
    self.height = height
    self.bytes = bytes
    self.sourceURL = sourceURL
  }
}
