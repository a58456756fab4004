import ArchiveStore

/// What `export-files` writes and how.
public struct FileExportOptions: Sendable {
  /// Where each file goes.
  public var layout: FileLayout
  /// Which pictures.
  public var kind: ExportKind
  /// The tasks, by search text and filters; nil for every task.
  public var query: SearchQuery?
  /// Copies instead of hard links for files written without metadata.
  public var copy: Bool
  /// Writes the prompt and parameters into each PNG (a copy); without it, files are linked as the archive holds
  /// them.
  public var metadata: Bool
  /// Writes `<file>.json` beside each file.
  public var sidecars: Bool

  public init(
    layout: FileLayout, kind: ExportKind = .originals, query: SearchQuery? = nil, copy: Bool = false,
    metadata: Bool = true, sidecars: Bool = false
  ) {
    self.layout = layout
    self.kind = kind
    self.query = query
    self.copy = copy
    self.metadata = metadata
    self.sidecars = sidecars
  }
}
