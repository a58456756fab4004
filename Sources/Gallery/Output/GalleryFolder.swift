import Basics
import Foundation
import GridImage
import MidjourneyAPI
import SafeFiles

/// The gallery folder on disk.
///
/// Pages are written atomically (temp file + rename) only when their fingerprint changed since the last export or
/// the file is no longer the one that export wrote, and files of tasks no longer exported are removed at the end.
/// Every write, check and removal goes through `OwnedFolder`, so a symbolic link planted in the gallery is never
/// followed. A manifest (`.mjarchive-gallery`) records each file's fingerprint and what the file was when written
/// (size, inode, modification time), and marks the folder as ours: a non-empty folder without one is refused, so
/// an export never overwrites or deletes files it did not make. A lock keeps two exports apart. Pages may be
/// written from many threads at once.
///
/// The manifest also keeps what the export was made from (`ExportState`) and each of its folders' stamps, so an
/// export from the same input can tell in a few stats a file that nothing changed and stop (`unchangedState`).
final class GalleryFolder: Sendable {
  /// The manifest's file name, at the gallery's top.
  static let manifestName = ".mjarchive-gallery"
  /// Present while an export runs: if an export finds it, the last one was interrupted, and the folders are walked
  /// for files the manifest does not list.
  static let unfinishedMarkerName = ".mjarchive-gallery.unfinished"
  /// Held by the export writing the gallery.
  static let lockName = ".mjarchive-gallery.lock"
  /// Folders an export owns: everything in them that the export did not write is removed.
  static let ownedFolders = ["t", "f", "p", "i", "assets"]
  /// Files at the top an export owns.
  static let ownedFiles = ["index.html"]

  /// What the manifest says of one file.
  struct Entry: Equatable {
    var fingerprint: String
    /// `size-inode-mtime` of the file as written; nil for images (checked by size when linked) and old manifests.
    var stamp: String?
  }

  private struct State {
    var current: [String: Entry] = [:]
    var written = 0
    var unchanged = 0
    var exportState: ExportState?
  }

  let owned: OwnedFolder
  var root: URL { owned.root }
  private let lock: FolderLock
  private let previous: [String: Entry]
  /// What the last export was made from, and the stamps of the folders it left.
  private let previousRecord: (state: ExportState?, folders: [String: String])
  /// True when the last export finished: its manifest lists every file it wrote.
  private let previousFinished: Bool
  private let state = Locked(State())

  /// Pages written by this export.
  var written: Int { state.withLock { $0.written } }
  /// Pages left as they were.
  var unchanged: Int { state.withLock { $0.unchanged } }

  /// Opens (or creates) the folder and takes its lock.
  ///
  /// - Throws: `GalleryError.notAGallery` for a non-empty folder that no export made; `.busy` when another export
  ///   holds it; `.folder` when it cannot be created or a link stands in the way.
  init(root: URL) throws(GalleryError) {
    do {
      owned = try OwnedFolder(root)
      // Checked before the lock file is made, so a folder that is not ours is left as it was.
      try Self.refuseForeign(owned)
      lock = try FolderLock.acquire(Self.lockName, in: owned)
    } catch let error as GalleryError {
      throw error
    } catch let error as FolderLock.Failure {
      switch error {
      case .held(let holder): throw .busy(path: root.standardizedFileURL.path, holder: holder)
      case .unusable(let reason): throw .folder(reason)
      }
    } catch {
      throw .folder(error as? OwnedFolderError ?? .unsafePath(root.path))
    }
    let manifest = try Self.openManifest(in: owned)
    previous = manifest.map(Self.parse) ?? [:]
    previousRecord = manifest.map(Self.parseRecord) ?? (nil, [:])
    previousFinished = !previous.isEmpty && (try? owned.status(Self.unfinishedMarkerName)) == nil
    try write([], to: Self.unfinishedMarkerName)
  }

  /// Refuses a non-empty folder with neither a manifest nor the marker of an unfinished first export.
  private static func refuseForeign(_ owned: OwnedFolder) throws {
    let names = Set((try owned.entries("") ?? []).map(\.name))
    guard names.isEmpty || names.contains(manifestName) || names.contains(unfinishedMarkerName) else {
      throw GalleryError.notAGallery(path: owned.root.path)
    }
  }

  /// The last export's manifest; nil for a new folder.
  private static func openManifest(in owned: OwnedFolder) throws(GalleryError) -> Data? {
    do {
      return try owned.contents(manifestName)
    } catch {
      throw .folder(error)
    }
  }

  /// The last export's state when it was made from `input`, finished, and left every file as it is now.
  ///
  /// Each page must be the file it wrote (size, inode, modification time), and each folder must hold the names it
  /// left (a folder's stamp changes when a name in it is added, removed or replaced). Nil when anything differs.
  func unchangedState(input: String) -> ExportState? {
    guard previousFinished, let state = previousRecord.state, state.input == input, !previousRecord.folders.isEmpty
    else { return nil }
    guard previousRecord.folders.allSatisfy({ isAsLeft($0.key, $0.value, FileStamp.ofFolder) }) else { return nil }
    // A stat a page, on every core: 120k pages in a few hundred milliseconds.
    let stamped = previous.compactMap { path, entry in entry.stamp.map { (path, $0) } }
    let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let same = Locked(true)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      for (step, index) in stride(from: lane, to: stamped.count, by: lanes).enumerated() {
        // Another lane may have found a difference already.
        if step % 1_024 == 1_023, !same.withLock({ $0 }) { return }
        guard isAsLeft(stamped[index].0, stamped[index].1, FileStamp.of) else {
          same.withLock { $0 = false }
          return
        }
      }
    }
    return same.withLock { $0 } ? state : nil
  }

  /// True when `path` is in the gallery's own folders and its stamp is still `stamp`.
  ///
  /// Any doubt (a path a hand-edited manifest names elsewhere, a failed stat) is false: the export then goes the
  /// full way, which checks and reports each file itself.
  private func isAsLeft(_ path: String, _ stamp: String, _ stampOf: (stat) -> String?) -> Bool {
    guard Self.isOwned(path) || Self.ownedFolders.contains(path), let status = try? owned.status(path) else {
      return false
    }
    return stampOf(status) == stamp
  }

  /// Ends an export that found nothing to redo (`unchangedState`): the manifest stays as it is.
  func finishUnchanged() {
    _ = try? owned.remove(Self.unfinishedMarkerName)
  }

  /// Records what this export was made from, for `finish` to keep in the manifest.
  func record(_ exportState: ExportState) {
    state.withLock { $0.exportState = exportState }
  }

  /// Writes the page at `path` (relative) from `render` unless the last export wrote it with the same fingerprint
  /// and it is still the file that export wrote (a page replaced by a link or edited is written again).
  func page(_ path: String, fingerprint: String, render: () -> String) throws(GalleryError) {
    try page(path, fingerprint: fingerprint, bytes: { Array(render().utf8) })
  }

  /// Writes the file at `path` from `bytes` as `page` does (a large file made as bytes is not copied into a string).
  func page(_ path: String, fingerprint: String, bytes: () -> [UInt8]) throws(GalleryError) {
    let before = previous[path]
    var entry = Entry(fingerprint: fingerprint, stamp: nil)
    var same = false
    if let before, before.fingerprint == fingerprint, let stamp = before.stamp {
      do {
        same = try owned.status(path).flatMap(FileStamp.of) == stamp
      } catch {
        throw .folder(error)
      }
    }
    if same {
      entry.stamp = before?.stamp
    } else {
      entry.stamp = FileStamp.of(try write(bytes(), to: path))
    }
    state.withLock { state in
      state.current[path] = entry
      if same { state.unchanged += 1 } else { state.written += 1 }
    }
  }

  /// Writes a file whose bytes are at hand (assets), fingerprinted by its content.
  func file(_ path: String, contents: String) throws(GalleryError) {
    try file(path, bytes: Array(contents.utf8))
  }

  /// Writes a file whose bytes are at hand (assets, the search index's files), fingerprinted by its content.
  func file(_ path: String, bytes: [UInt8]) throws(GalleryError) {
    var fingerprint = Fingerprint("asset")
    fingerprint.add(bytes: bytes)
    try page(path, fingerprint: fingerprint.text) { bytes }
  }

  /// Marks a file written by someone else (an image) as part of this export, so it is kept.
  func keep(_ path: String) {
    state.withLock { $0.current[path] = Entry(fingerprint: "file", stamp: nil) }
  }

  /// Makes the folder holding `path` (its descriptor is kept, so again costs nothing).
  func prepareFolder(for path: String) throws(GalleryError) {
    let folder = (path as NSString).deletingLastPathComponent
    guard !folder.isEmpty else { return }
    do {
      try owned.folder(folder)
    } catch {
      throw .folder(error)
    }
  }

  /// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a reader or an
  /// interrupted export never sees half a page.
  @discardableResult
  func write(_ bytes: [UInt8], to path: String) throws(GalleryError) -> stat {
    do {
      // Not flushed to disk: a page lost to a power cut is written again by the next export (its stamp differs).
      return try owned.write(bytes, to: path, durable: false)
    } catch {
      throw .folder(error)
    }
  }

  /// Removes what earlier exports wrote that this one did not, then saves the manifest.
  ///
  /// After an interrupted export the owned folders are walked, so its temporary files go too. Links found there
  /// are removed as links; nothing is removed through one.
  /// - Returns: How many files were removed.
  func finish() throws(GalleryError) -> Int {
    let current = state.withLock { $0.current }
    var removed = 0
    do {
      for path in previous.keys.sorted() where current[path] == nil && Self.isOwned(path) {
        if try owned.remove(path) { removed += 1 }
      }
      if !previousFinished {
        for folder in Self.ownedFolders { removed += try removeUnlisted(in: folder, keeping: current) }
      }
    } catch {
      throw .folder(error)
    }
    var manifest = "mjarchive-gallery 3\n"
    if let exportState = state.withLock({ $0.exportState }) {
      manifest += exportState.line + "\n"
      do {
        for folder in Self.folders(holding: current.keys) {
          guard let stamp = try owned.status(folder).flatMap(FileStamp.ofFolder) else { continue }
          manifest += "\(Self.folderPrefix) \(stamp) \(folder)\n"
        }
      } catch {
        throw .folder(error)
      }
    }
    for (path, entry) in current.sorted(by: { $0.key < $1.key }) {
      manifest += "\(entry.fingerprint) \(entry.stamp ?? "-") \(path)\n"
    }
    try write(Array(manifest.utf8), to: Self.manifestName)
    _ = try? owned.remove(Self.unfinishedMarkerName)
    return removed
  }

  /// Removes every file under `folder` this export did not list.
  private func removeUnlisted(in folder: String, keeping current: [String: Entry]) throws(OwnedFolderError) -> Int {
    var removed = 0
    for entry in try owned.entries(folder) ?? [] {
      let path = "\(folder)/\(entry.name)"
      if entry.kind == .folder {
        removed += try removeUnlisted(in: path, keeping: current)
      } else if current[path] == nil || entry.kind == .symbolicLink {
        if try owned.remove(path) { removed += 1 }
      }
    }
    return removed
  }

  /// True for a path inside the folders and files an export owns (a manifest edited by hand cannot make an export
  /// delete anything else).
  static func isOwned(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return false }
    return ownedFiles.contains(path) || (parts.count > 1 && ownedFolders.contains(String(parts[0])))
  }
}
