import Foundation

/// The gallery folder on disk: pages written atomically (temp file + rename) only when their fingerprint changed
/// since the last export, and files of tasks no longer exported removed at the end. A manifest of fingerprints
/// (`.mjarchive-gallery`) marks the folder as ours; a non-empty folder without one is refused, so an export never
/// overwrites or deletes files it did not make.
final class GalleryFolder {
  /// The manifest's file name, at the gallery's top.
  static let manifestName = ".mjarchive-gallery"
  /// Folders an export owns: everything in them that the export did not write is removed.
  static let ownedFolders = ["t", "f", "p", "i", "assets"]
  /// Files at the top an export owns.
  static let ownedFiles = ["index.html"]

  let root: URL
  private var previous: [String: String] = [:]
  private var current: [String: String] = [:]
  private var createdFolders: Set<String> = []
  private(set) var written = 0
  private(set) var unchanged = 0

  /// Opens (or creates) the folder.
  ///
  /// - Throws: `GalleryError.notAGallery` for a non-empty folder that no export made; `cannotWrite` when it cannot
  ///   be created.
  init(root: URL) throws(GalleryError) {
    self.root = root.standardizedFileURL
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    if manager.fileExists(atPath: self.root.path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw GalleryError.cannotWrite(path: self.root.path, reason: "it is a file, not a folder")
      }
      let manifest = self.root.appendingPathComponent(Self.manifestName)
      if let text = try? String(contentsOf: manifest, encoding: .utf8) {
        previous = Self.parse(text)
      } else if let entries = try? manager.contentsOfDirectory(atPath: self.root.path), !entries.isEmpty {
        throw GalleryError.notAGallery(path: self.root.path)
      }
    } else {
      do {
        try manager.createDirectory(at: self.root, withIntermediateDirectories: true)
      } catch {
        throw GalleryError.cannotWrite(path: self.root.path, reason: Self.reason(error))
      }
    }
  }

  /// Writes the page at `path` (relative) from `render` unless the last export wrote it with the same fingerprint
  /// and it is still there.
  func page(_ path: String, fingerprint: String, render: () -> String) throws(GalleryError) {
    current[path] = fingerprint
    let url = root.appendingPathComponent(path)
    if previous[path] == fingerprint, access(url.path, F_OK) == 0 {
      unchanged += 1
      return
    }
    try write(Array(render().utf8), to: path)
    written += 1
  }

  /// Writes a file whose bytes are at hand (assets), fingerprinted by its content.
  func file(_ path: String, contents: String) throws(GalleryError) {
    try page(path, fingerprint: ContextFingerprint.of(contents, salt: "asset")) { contents }
  }

  /// Marks a file written by someone else (an image) as part of this export, so it is kept.
  func keep(_ path: String) {
    current[path] = "file"
  }

  /// Makes the folder holding `path`, once per folder.
  func prepareFolder(for path: String) throws(GalleryError) {
    let folder = (path as NSString).deletingLastPathComponent
    guard !folder.isEmpty, !createdFolders.contains(folder) else { return }
    do {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    } catch {
      throw GalleryError.cannotWrite(path: root.appendingPathComponent(folder).path, reason: Self.reason(error))
    }
    createdFolders.insert(folder)
  }

  /// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a reader or an
  /// interrupted export never sees half a page.
  func write(_ bytes: [UInt8], to path: String) throws(GalleryError) {
    try prepareFolder(for: path)
    let final = root.appendingPathComponent(path).path
    let temporary = Self.temporaryPath(for: final)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw GalleryError.cannotWrite(path: final, reason: Self.errnoText()) }
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        let reason = Self.errnoText()
        close(descriptor)
        unlink(temporary)
        throw GalleryError.cannotWrite(path: final, reason: reason)
      }
      offset += count
    }
    close(descriptor)
    guard rename(temporary, final) == 0 else {
      let reason = Self.errnoText()
      unlink(temporary)
      throw GalleryError.cannotWrite(path: final, reason: reason)
    }
  }

  /// Removes what earlier exports wrote that this one did not (and temporary files an interrupted export left),
  /// then saves the manifest. Returns how many files were removed.
  func finish() throws(GalleryError) -> Int {
    var removed = 0
    let manager = FileManager.default
    for folder in Self.ownedFolders {
      guard let walker = manager.enumerator(atPath: root.appendingPathComponent(folder).path) else { continue }
      while let entry = walker.nextObject() as? String {
        let path = "\(folder)/\(entry)"
        guard current[path] == nil, walker.fileAttributes?[.type] as? FileAttributeType != .typeDirectory else {
          continue
        }
        if unlink(root.appendingPathComponent(path).path) == 0 { removed += 1 }
      }
    }
    for path in previous.keys where current[path] == nil && Self.ownedFiles.contains(path) {
      if unlink(root.appendingPathComponent(path).path) == 0 { removed += 1 }
    }
    var manifest = "mjarchive-gallery 1\n"
    for (path, fingerprint) in current.sorted(by: { $0.key < $1.key }) { manifest += "\(fingerprint) \(path)\n" }
    try write(Array(manifest.utf8), to: Self.manifestName)
    return removed
  }

  private static func parse(_ text: String) -> [String: String] {
    var entries: [String: String] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      guard let space = line.firstIndex(of: " ") else { continue }
      entries[String(line[line.index(after: space)...])] = String(line[..<space])
    }
    return entries
  }

  static func temporaryPath(for final: String) -> String {
    let folder = (final as NSString).deletingLastPathComponent
    let name = (final as NSString).lastPathComponent
    return "\(folder)/.\(name).\(getpid()).tmp"
  }

  private static func errnoText() -> String {
    String(cString: strerror(errno))
  }

  private static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}
