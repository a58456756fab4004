/// One task found by a search.
public struct SearchHit: Sendable, Equatable {
  public var id: String
  public var action: String?
  public var status: String?
  public var progress: String?
  public var prompt: String?
  public var promptEn: String?
  public var finalPrompt: String?
  public var submitTime: Int64?
  public var finishTime: Int64?
  public var imageUrl: String?
  public var messageHash: String?
  /// The task whose button made this one, by the stored lineage.
  public var parentId: String?
  /// The root of its family (its own id when it has no parent).
  public var rootId: String
  /// With `SearchQuery.oneHitPerFamily`: how many hits seen belong to this family.
  public var familyHits = 1
  /// The prompt with matches between `SearchHit.highlightStart` and `SearchHit.highlightEnd`.
  public var snippet: String
  /// The downloaded original, relative to the archive folder, if any.
  public var imagePath: String?
  public var parameters: [String: String]

  /// Marks the start of a match in `snippet` (a private-use character no prompt should hold).
  public static let highlightStart: Character = "\u{E000}"
  /// Marks the end of a match in `snippet`.
  public static let highlightEnd: Character = "\u{E001}"
}
