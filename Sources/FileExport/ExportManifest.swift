import Foundation
import SafeFiles

/// What an export wrote in its folder: each file's path, what it was made from and what it was when written.
///
/// Kept at the folder's top (`.mjarchive-export.json`). It is what makes a re-run incremental and what limits
/// removal to files an export made: a path is removed only while it is still the file written (same stamp).
/// Before any file is written, the manifest is saved with the new files marked pending (no stamp), so a run that
/// is killed leaves nothing the next run does not know it made.
struct ExportManifest: Codable, Equatable {
  struct Entry: Codable, Equatable {
    var path: String
    /// The archive file it is made from: task id, kind and part.
    var key: String
    /// Of everything the file is made from (the archive file, the metadata, how it was placed).
    var fingerprint: String
    /// `FileStamp` of the file as written; nil while pending.
    var stamp: String?
  }

  static let fileName = ".mjarchive-export.json"
  static let lockName = ".mjarchive-export.lock"
  static let currentFormat = "mjarchive-export 1"

  var format = ExportManifest.currentFormat
  var files: [Entry] = []

  /// The folder's manifest; empty when there is none.
  ///
  /// - Throws: `FileExportError.badManifest` for a file that is not one; `.folder` when it cannot be read.
  static func read(in folder: OwnedFolder) throws(FileExportError) -> ExportManifest {
    let data: Data?
    do {
      data = try folder.contents(fileName)
    } catch {
      throw .folder(error)
    }
    guard let data else { return ExportManifest() }
    guard let manifest = try? JSONDecoder().decode(ExportManifest.self, from: data), manifest.format == currentFormat
    else {
      throw .badManifest(path: folder.path(fileName))
    }
    return manifest
  }

  /// Saves the manifest (through a temporary file and a rename, flushed: it is what protects the user's files).
  func write(in folder: OwnedFolder) throws(FileExportError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    do {
      try folder.write(try encoder.encode(self), to: Self.fileName, mode: 0o644)
    } catch let error as OwnedFolderError {
      throw .folder(error)
    } catch {
      throw .source("the export's manifest cannot be encoded: \(error)")
    }
  }
}
