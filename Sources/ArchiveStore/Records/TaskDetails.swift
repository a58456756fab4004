import Foundation
import MidjourneyAPI

/// Everything the archive knows about one task, for `show`.
public struct TaskDetails: Sendable {
  /// A file stored for the task.
  public struct StoredImage: Sendable, Equatable {
    public var kind: String
    public var part: Int
    public var path: String
    public var width: Int?
    public var height: Int?
  }

  public var id: String
  /// The task as last stored; nil when the id is known but not fetched yet.
  public var task: GatewayTask?
  public var parameters: PromptParameters?
  /// The picture's seed as the gateway gave it (`sync --seeds`); nil when never asked or it has none.
  public var seed: String? = nil
  /// Where the id came from: submit, track, import, list.
  public var knownFrom: String?
  public var firstSeen: Int64?
  public var lastFetched: Int64?
  public var images: [StoredImage]
  /// The task whose button made this one, with the step and how the link was learned.
  public var parent: LineageNode?
  /// The tasks made from this one's buttons, oldest first.
  public var children: [LineageNode]
  /// The root of its family (its own id when it has no parent).
  public var rootId: String
}
