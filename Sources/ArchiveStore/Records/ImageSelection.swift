/// Which finished tasks' images sync downloads (`sync --only`), remembered by the archive so cron runs the same.
public enum ImageSelection: String, Sendable, CaseIterable {
  /// Every image.
  case all
  /// Single images only (upscales and other results that are no 2×2 grid).
  case upscales
  /// 2×2 grids only (imagines, variations, rerolls, zooms, pans, blends).
  case grids

  /// The settings row it is remembered in.
  static let settingName = "sync.only"

  /// A condition to add after `WHERE …` for a task whose grid-ness is `isGrid` (SQL), empty for every image.
  func sqlCondition(isGrid: String) -> String {
    switch self {
    case .all: ""
    case .upscales: " AND NOT (\(isGrid))"
    case .grids: " AND (\(isGrid))"
    }
  }
}
