import ArchiveStore
import Foundation
import GridImage
import SafeFiles

/// Quadrants of grids the archive keeps whole (`sync --no-quadrants`), made at export time.
///
/// A grid is split into a scratch folder of the export's (`.mjarchive-export.quadrants`), through descriptors as
/// sync splits; only the last grid's four are kept at a time, and the folder goes when the export ends (or at the
/// start of the next, after a kill).
final class QuadrantScratch {
  static let folderName = ".mjarchive-export.quadrants"

  private let folder: OwnedFolder
  /// The grid whose quadrants the folder holds, by SHA-256.
  private var current: String?

  /// Opens the scratch folder, emptying what a killed run left.
  init(in folder: OwnedFolder) throws(OwnedFolderError) {
    self.folder = folder
    removeAll()
  }

  /// The bytes of quadrant `part` (1–4) of `grid`, read from the archive or, where it lacks the file, fetched.
  ///
  /// - Returns: nil when the grid is neither in the archive nor fetched.
  /// - Throws: `GridImageError` when the grid cannot be split; `OwnedFolderError` when the scratch folder fails.
  func quadrant(_ part: Int, of grid: StoredFile, archive: OwnedFolder, fetch: FileExporter.Fetch?) async throws
    -> Data?
  {
    if current != grid.sha256 {
      removeAll()
      let scratch = "/proc/self/fd/\(try folder.folder(Self.folderName, mode: 0o700))"
      var source: String
      var descriptor: Int32?
      if grid.path.hasPrefix("images/"), let opened = try archive.openForReading(grid.path) {
        descriptor = opened
        source = "/proc/self/fd/\(opened)"
      } else if let bytes = try await fetch?(grid.path, grid.sha256, grid.bytes) {
        try folder.write(bytes, to: "\(Self.folderName)/grid.png", mode: 0o600, durable: false)
        source = scratch + "/grid.png"
      } else {
        return nil
      }
      defer { descriptor.map { _ = close($0) } }
      _ = try GridSplitter().split(source, into: URL(fileURLWithPath: scratch), baseName: "quadrant")
      current = grid.sha256
    }
    return try folder.contents("\(Self.folderName)/quadrant-\(part).png")
  }

  /// Empties and removes the scratch folder.
  func removeAll() {
    current = nil
    for entry in (try? folder.entries(Self.folderName)) ?? [] {
      _ = try? folder.remove("\(Self.folderName)/\(entry.name)")
    }
    _ = try? folder.removeFolderIfEmpty(Self.folderName)
  }
}
