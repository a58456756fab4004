import Basics
import MidjourneyAPI

/// One thing `verify` found wrong with the archive's files, in a line a user can act on.
public struct VerifyProblem: Sendable, Equatable, CustomStringConvertible {
  /// What is wrong.
  public enum Kind: String, Sendable {
    /// The file's bytes are not the ones recorded (SHA-256 or size differ, or it is no regular file).
    case damaged
    /// A row names a file that is not there.
    case missing
    /// A file in `images/` that no row names (or a temporary file left by a killed run).
    case stray
    /// A split grid without all four quadrants, or an image without its thumbnail.
    case incomplete
    /// A row whose path leads outside `images/`: never opened.
    case unsafePath = "unsafe path"
    /// A symbolic link where a folder of the archive should be: never entered, followed or written through.
    case link = "symbolic link"
    /// A finished task with an image link and no original recorded.
    case noOriginal = "no original"
    /// A damaged original an earlier repair moved to `images/damaged/`, kept until a good copy is home.
    case parked
    /// A copy in a bucket archive's local cache that is not the recorded file (the bucket holds the file).
    case damagedCache = "damaged cache"
  }

  public var kind: Kind
  /// Relative to the archive folder (the file a row names), or `s3://BUCKET/KEY` for an object no row names.
  public var path: String
  /// The tasks whose rows name the file (none for a stray).
  public var taskIds: [String]
  public var detail: String
  /// The object in the archive's bucket the problem is about, when it is one.
  public var objectKey: String?

  public init(kind: Kind, path: String, taskIds: [String] = [], detail: String, objectKey: String? = nil) {
    self.kind = kind
    self.path = path
    self.taskIds = taskIds
    self.detail = detail
    self.objectKey = objectKey
  }

  public var description: String {
    let tasks =
      taskIds.isEmpty ? "" : " (task \(taskIds.prefix(3).joined(separator: ", "))\(taskIds.count > 3 ? ", …" : ""))"
    return "\(kind.rawValue): \(path.singleLine(limit: 200))\(tasks): \(detail)"
  }
}
