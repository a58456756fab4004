import Foundation
import SafeFiles

/// Where each selected file goes, which need writing, and what earlier runs left that goes.
///
/// A file keeps the path an earlier run gave it while the layout still gives it that name; a new one takes the
/// layout's path, with `~2`, `~3`… before the extension when that name is taken (by another file of this export,
/// compared without case as macOS and Windows do, or by a file the export did not make).
struct ExportPlan {
  let files: [ExportedFile]
  private(set) var paths: [String] = []
  /// The manifest of this run: one entry per file, in order; pending ones have no stamp.
  var manifest = ExportManifest()
  /// Indices of the files to write.
  private(set) var pending: [Int] = []
  private(set) var removed = 0
  private(set) var leftAlone = 0

  private let previous: ExportManifest
  private let folder: OwnedFolder
  /// Paths of earlier runs that are still the file written (or were pending, or are gone): the export's own.
  private var own: Set<String> = []

  init(files: [ExportedFile], previous: ExportManifest, folder: OwnedFolder, copying: Bool) throws(FileExportError) {
    self.files = files
    self.previous = previous
    self.folder = folder
    var stamps: [String: String?] = [:]
    for entry in previous.files {
      let stamp = try Self.stamp(of: entry.path, in: folder)
      stamps[entry.path] = stamp
      if entry.stamp == nil || stamp == nil || stamp == entry.stamp { own.insert(entry.path) }
    }
    let earlier = Dictionary(previous.files.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    var taken: Set<String> = []
    for (index, file) in files.enumerated() {
      // A sidecar goes beside its picture, whatever name that took.
      let wanted = file.isSidecar && index > 0 ? paths[index - 1] + ".json" : file.wantedPath
      var path = wanted
      if let old = earlier[file.key], own.contains(old.path), Self.isVariant(old.path, of: wanted),
        !taken.contains(old.path.lowercased())
      {
        path = old.path
      } else {
        var number = 2
        while try !isFree(path, taken: taken) {
          path = Self.variant(wanted, number)
          number += 1
        }
      }
      taken.insert(path.lowercased())
      paths.append(path)
      let fingerprint = file.fingerprint(copying: copying)
      var entry = ExportManifest.Entry(path: path, key: file.key, fingerprint: fingerprint, stamp: nil)
      if let old = earlier[file.key], old.path == path, old.fingerprint == fingerprint, let stamp = old.stamp,
        (stamps[path] ?? nil) == stamp
      {
        entry.stamp = stamp
      } else {
        pending.append(index)
      }
      manifest.files.append(entry)
    }
  }

  /// True when no file of this export takes `path` (in any case) and nothing the export did not make is there.
  private func isFree(_ path: String, taken: Set<String>) throws(FileExportError) -> Bool {
    guard !taken.contains(path.lowercased()) else { return false }
    if own.contains(path) { return true }
    return try Self.stamp(of: path, in: folder) == nil
  }

  /// Removes what earlier runs wrote that this run does not keep (while still the file written), with the
  /// temporary files of a killed run, and folders left empty; files changed since are left alone.
  mutating func removeLeftovers() throws(FileExportError) {
    let kept = Set(paths)
    var folders: Set<String> = []
    do {
      for entry in previous.files {
        let parent = (entry.path as NSString).deletingLastPathComponent
        if entry.stamp == nil { try removeTemporaryFiles(of: entry.path) }
        guard !kept.contains(entry.path) else { continue }
        if own.contains(entry.path) {
          if try folder.remove(entry.path) { removed += 1 }
          if !parent.isEmpty { folders.insert(parent) }
        } else {
          leftAlone += 1
        }
      }
      // Deepest first, so a month folder goes before its year.
      for path in folders.sorted(by: { $0.count > $1.count }) {
        var folderPath = path
        while !folderPath.isEmpty, try folder.removeFolderIfEmpty(folderPath) {
          folderPath = (folderPath as NSString).deletingLastPathComponent
        }
      }
    } catch {
      throw .folder(error)
    }
  }

  /// Removes `.<name>.<random>.tmp` beside `path`: a write of it that a kill cut short.
  private func removeTemporaryFiles(of path: String) throws(OwnedFolderError) {
    let parent = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    for entry in try folder.entries(parent) ?? []
    where entry.name.hasPrefix(".\(name).") && entry.name.hasSuffix(".tmp") {
      try folder.remove(parent.isEmpty ? entry.name : parent + "/" + entry.name)
    }
  }

  /// The file's stamp, nil when nothing is there; a link or folder there has a stamp of its own kind.
  private static func stamp(of path: String, in folder: OwnedFolder) throws(FileExportError) -> String? {
    do {
      guard let status = try folder.status(path) else { return nil }
      return FileStamp.of(status) ?? "not a file"
    } catch .symbolicLink {
      return "a link"
    } catch {
      throw .folder(error)
    }
  }

  /// `a/b.png` → `a/b~2.png`.
  static func variant(_ path: String, _ number: Int) -> String {
    let (stem, suffix) = stemAndExtension(path)
    return stem + "~\(number)" + suffix
  }

  /// True when `path` is `wanted` or one of its `~N` variants.
  static func isVariant(_ path: String, of wanted: String) -> Bool {
    if path == wanted { return true }
    let (stem, suffix) = stemAndExtension(wanted)
    guard path.hasPrefix(stem + "~"), path.hasSuffix(suffix), path.utf8.count > stem.utf8.count + suffix.utf8.count + 1
    else { return false }
    let number = path.utf8.dropFirst(stem.utf8.count + 1).dropLast(suffix.utf8.count)
    return number.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int(String(decoding: number, as: UTF8.self)) ?? 0) >= 2
  }

  /// `a/b.png` → (`a/b`, `.png`); a name without a dot (or only a leading one) has no extension.
  private static func stemAndExtension(_ path: String) -> (String, String) {
    let name = (path as NSString).lastPathComponent
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (path, "") }
    let suffix = String(name[dot...])
    return (String(path.dropLast(suffix.count)), suffix)
  }
}
