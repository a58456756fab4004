import ArchiveStore
import Foundation

/// What to export and how.
public struct GalleryOptions: Sendable {
  /// The title shown on every page.
  public var title = "Midjourney archive"
  /// Export only the tasks this search selects (text and filters); nil exports every stored task.
  public var query: SearchQuery?
  /// Export only the family of this task (with `query`, the family's tasks that also match it).
  public var familyOf: String?
  /// Copy images instead of hard-linking them.
  public var copyImages = false
  /// Where pages find the images: put into the gallery from the archive's folder (the default), or elsewhere.
  public var images = GalleryImageSource.archiveFolder
  /// A folder whose `*.mustache`, `gallery.css`, `gallery.js` and `search.js` files replace the built-in ones of the same name.
  public var templates: URL?
  /// Tiles per index page.
  public var pageSize = 200
  /// Longest edge of the thumbnails tiles show; the archive's thumbnails of this edge are used where they exist.
  public var thumbnailEdge = 256
  /// Tasks in each file of the search index's rows (tests make it small to reach several files).
  var searchRowsPerFile = SearchIndexWriter.defaultChunk

  public init() {}
}
