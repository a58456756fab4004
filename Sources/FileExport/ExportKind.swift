import ArchiveStore

/// Which of the archive's pictures an export writes (`--kind`); thumbnails never.
public enum ExportKind: String, Sendable, CaseIterable {
  /// Every task's downloaded picture: grids and single images.
  case originals
  /// The four quadrants of each split grid.
  case quadrants
  /// Single images only (upscales and other results that are no grid).
  case upscales
  /// Originals and quadrants.
  case all

  /// True when this kind takes a file of `kind` from a task whose grid-ness is `isGrid`.
  func takes(_ kind: StoredFile.Kind, isGrid: Bool) -> Bool {
    switch (self, kind) {
    case (.originals, .original), (.quadrants, .quadrant), (.all, .original), (.all, .quadrant): true
    case (.upscales, .original): !isGrid
    default: false
    }
  }
}
