/// Where a quadrant came from, written into its text chunks so a file copied out of the archive
/// still says which task, prompt and link it belongs to (readable by exiftool, Pillow, pngcheck -t).
public struct QuadrantMetadata: Sendable, Equatable {
  public var taskId: String?
  public var prompt: String?
  public var finalPrompt: String?
  public var sourceURL: String?
  /// The file it was split from, when there is no URL.
  public var sourceFile: String?

  public init(
    taskId: String? = nil, prompt: String? = nil, finalPrompt: String? = nil, sourceURL: String? = nil,
    sourceFile: String? = nil
  ) {
    self.taskId = taskId
    self.prompt = prompt
    self.finalPrompt = finalPrompt
    self.sourceURL = sourceURL
    self.sourceFile = sourceFile
  }

  /// The text chunks for quadrant 1–4.
  public func chunks(quadrant: Int) -> [PNGTextChunk] {
    let pairs: [(String, String?)] = [
      ("mjarchive Task ID", taskId), ("mjarchive Quadrant", String(quadrant)), ("mjarchive Prompt", prompt),
      ("mjarchive Final Prompt", finalPrompt == prompt ? nil : finalPrompt), ("mjarchive Source URL", sourceURL),
      ("mjarchive Source File", sourceFile),
    ]
    return pairs.compactMap { key, value in value.flatMap { $0.isEmpty ? nil : PNGTextChunk(key: key, text: $0) } }
  }
}
