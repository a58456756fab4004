import Foundation
import GridImage

/// Output folders a command made, so that the ones left empty after a failure can be removed again.
struct FolderCreation {
  /// Folders made, deepest first.
  private var made: [URL] = []

  /// Makes `directory` and any missing parents, remembering which were new.
  ///
  /// - Throws: `GridImageError.cannotWrite` naming the folder and why.
  mutating func make(_ directory: URL) throws(GridImageError) {
    var missing: [URL] = []
    var probe = directory.standardizedFileURL
    var isFolder: ObjCBool = false
    while !FileManager.default.fileExists(atPath: probe.path, isDirectory: &isFolder), probe.path != "/" {
      missing.append(probe)
      probe = probe.deletingLastPathComponent()
    }
    guard isFolder.boolValue else {
      throw GridImageError.cannotWrite(path: directory.path, reason: "\(probe.path) is a file, not a folder")
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      let reason =
        access(probe.path, W_OK) == 0
        ? "the folder cannot be created" : "no permission to create folders in \(probe.path)"
      throw GridImageError.cannotWrite(path: directory.path, reason: reason)
    }
    made += missing
  }

  /// Removes the folders made that are still empty, deepest first.
  func removeEmpty() {
    for folder in made { rmdir(folder.path) }
  }
}
