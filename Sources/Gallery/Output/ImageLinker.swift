import ArchiveStore
import Basics
import Foundation
import GridImage
import MidjourneyAPI
import SafeFiles

/// Puts a task's archive files into the gallery's `i/` folder, named by content, or names where they are.
///
/// With the archive's folder as the source, files are hard-linked (copied across filesystems, or always with `copy`), never re-encoded. Thumbnails come from
/// the archive; those of the asked size that sync did not make are made here, in parallel, from the quadrant or the
/// original. Archive files are opened without following a link (`OwnedFolder`) and linked or copied by descriptor,
/// so a link planted in the archive never brings another file into the gallery. Images referenced where they are or
/// fetched later (a bucket archive) are never read here, so only thumbnails the archive made are shown; a quadrant
/// or original stands in for the others.
final class ImageLinker {
  private struct PendingThumbnail {
    var source: String
    var destination: String
  }

  private let archive: OwnedFolder?
  private let folder: GalleryFolder
  private let copy: Bool
  private let source: GalleryImageSource
  private let edge: Int
  private var done: [String: Bool] = [:]
  private var pending: [PendingThumbnail] = []
  private var failed: Set<String> = []
  private(set) var linked = 0
  private(set) var copied = 0
  private(set) var unchanged = 0
  private(set) var missing = 0
  private(set) var thumbnailsMade = 0
  private(set) var referenced = 0
  /// Files named in the gallery's `i/` folder that it lacks, with `.fetched`.
  private(set) var toFetch: [GalleryImageFetch] = []
  /// The first link found in the way in the gallery: the export stops on it instead of counting images missing.
  private(set) var refusal: OwnedFolderError?

  init(archive: URL, folder: GalleryFolder, copy: Bool, source: GalleryImageSource = .archiveFolder, edge: Int) {
    self.archive = try? OwnedFolder(archive, create: false)
    self.folder = folder
    self.copy = copy
    self.source = source
    self.edge = edge
  }

  /// Links `task`'s files and plans the thumbnails it lacks.
  func images(for task: ArchivedTask) -> TaskImages {
    var images = TaskImages()
    let original = task.files.first { $0.kind == .original }
    images.original = original.flatMap(place)
    let quadrantFiles = (1...4).compactMap { part in task.files.first { $0.kind == .quadrant && $0.part == part } }
    let quadrants = quadrantFiles.count == 4 ? quadrantFiles.compactMap(place) : []
    if quadrants.count == 4 {
      images.quadrants = quadrants
      images.thumbnails = zip(quadrantFiles, quadrants).map { thumbnail(of: $0, in: task) ?? $1 }
    } else if let original, let placed = images.original {
      images.thumbnails = [thumbnail(of: original, in: task) ?? placed]
    }
    return images
  }

  /// Makes the planned thumbnails on every core, in batches; `progress` gets the count made and the total between
  /// batches.
  func makeThumbnails(progress: (Int, Int) -> Void) {
    let work = pending
    pending = []
    let edge = edge
    let (archive, gallery) = (self.archive, folder.owned)
    let failures = Locked<Set<String>>([])
    let batch = 16 * max(1, ProcessInfo.processInfo.activeProcessorCount)
    for start in stride(from: 0, to: work.count, by: batch) {
      let slice = work[start..<min(start + batch, work.count)]
      DispatchQueue.concurrentPerform(iterations: slice.count) { offset in
        let item = slice[slice.startIndex + offset]
        // Read and written through descriptors of folders checked for links (libpng opens files by path).
        guard let archive, let source = try? archive.openForReading(item.source),
          let destination = try? gallery.pathThroughDescriptor(item.destination)
        else {
          failures.withLock { _ = $0.insert(item.destination) }
          return
        }
        defer { close(source) }
        do {
          try Thumbnailer(durable: false).thumbnail(
            of: "/proc/self/fd/\(source)", maxEdge: edge, to: URL(fileURLWithPath: destination))
        } catch {
          failures.withLock { _ = $0.insert(item.destination) }
        }
      }
      progress(slice.endIndex, work.count)
    }
    let failed = failures.withLock { $0 }
    thumbnailsMade += work.count - failed.count
    self.failed.formUnion(failed)
  }

  /// Thumbnails that could not be made (their pages show the full image).
  var thumbnailsFailed: Int { failed.count }

  /// Number of thumbnails planned and not yet made.
  var pendingThumbnails: Int { pending.count }

  /// A thumbnail that could not be made gives way to the full image (the browser scales it).
  func settled(_ images: TaskImages) -> TaskImages {
    var images = images
    for (offset, thumbnail) in images.thumbnails.enumerated() where failed.contains(thumbnail.path) {
      images.thumbnails[offset] = images.isGrid ? images.quadrants[offset] : (images.original ?? thumbnail)
    }
    return images
  }

  /// The archive's thumbnail of the asked edge, else one planned here; nil when `source` is not a PNG (the page
  /// then scales the image itself).
  private func thumbnail(of source: StoredFile, in task: ArchivedTask) -> GalleryImage? {
    if let stored = task.files.first(where: { $0.kind == .thumbnail && $0.part == source.part && $0.edge == edge }),
      let image = place(stored)
    {
      return image
    }
    guard self.source == .archiveFolder, source.format == "PNG", let sourcePath = checkedPath(source) else {
      return nil
    }
    let destination = PageNames.image(sha256: source.sha256, fileExtension: "png", thumbnailEdge: edge)
    let size = source.width.flatMap { width in
      source.height.map { Thumbnailer.size(width: width, height: $0, maxEdge: edge) }
    }
    let image = GalleryImage(path: destination, width: size?.width, height: size?.height)
    if done[destination] != nil { return image }
    done[destination] = true
    folder.keep(destination)
    guard (try? folder.owned.status(destination)).flatMap({ $0 }).map(Self.isRegularFile) != true else {
      return image
    }
    pending.append(PendingThumbnail(source: sourcePath, destination: destination))
    return image
  }

  /// Links (or copies) one archive file into the gallery, or names it where it is; nil when it is missing or its row
  /// is unusable.
  private func place(_ file: StoredFile) -> GalleryImage? {
    guard let source = checkedPath(file), let fileExtension = Self.fileExtension(file.format) else {
      missing += 1
      return nil
    }
    if case .referenced = self.source {
      referenced += 1
      return GalleryImage(path: String(source.dropFirst("images/".count)), width: file.width, height: file.height)
    }
    let destination = PageNames.image(sha256: file.sha256, fileExtension: fileExtension)
    let image = GalleryImage(path: destination, width: file.width, height: file.height)
    if let placed = done[destination] { return placed ? image : nil }
    if self.source == .fetched {
      done[destination] = true
      folder.keep(destination)
      if isInGallery(destination, bytes: file.bytes) {
        unchanged += 1
      } else {
        toFetch.append(
          GalleryImageFetch(galleryPath: destination, archivePath: source, sha256: file.sha256, bytes: file.bytes))
      }
      return image
    }
    let placed = link(source, to: destination, bytes: file.bytes)
    done[destination] = placed
    if placed { folder.keep(destination) } else { missing += 1 }
    return placed ? image : nil
  }

  /// Links (or copies) the archive file at `source` to `destination` unless a regular file of its size is there.
  private func link(_ source: String, to destination: String, bytes: Int) -> Bool {
    do {
      if isInGallery(destination, bytes: bytes) {
        unchanged += 1
        return true
      }
      guard let archive, let descriptor = try? archive.openForReading(source) else { return false }
      defer { close(descriptor) }
      // False on another file system, or one without hard links: copied instead.
      if !copy, try folder.owned.hardLink(descriptor, to: destination) {
        linked += 1
        return true
      }
      try folder.owned.copy(descriptor, to: destination)
      copied += 1
      return true
    } catch {
      if case .symbolicLink = error { refusal = refusal ?? error }
      return false
    }
  }

  /// True when a regular file of `bytes` is at `path` in the gallery (an image an earlier export put there).
  private func isInGallery(_ path: String, bytes: Int) -> Bool {
    guard let status = try? folder.owned.status(path) else { return false }
    return Self.isRegularFile(status) && Int(status.st_size) == bytes
  }

  private static func isRegularFile(_ status: stat) -> Bool {
    (status.st_mode & S_IFMT) == S_IFREG
  }

  /// The file's path relative to the archive when its row names a file under `images/` by a safe relative path of
  /// characters that need no escaping in a URL, and a well-formed SHA-256 (rows are read from a file anyone may have
  /// edited).
  private func checkedPath(_ file: StoredFile) -> String? {
    let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 2, parts.first == "images", !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
      file.path.utf8.allSatisfy(Self.isURLSafe), file.sha256.utf8.count == 64,
      file.sha256.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
    else { return nil }
    return file.path
  }

  /// Letters, digits, `-`, `.`, `_` and `/`: all an archive's own paths use.
  private static func isURLSafe(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: "/")
    }
  }

  private static func fileExtension(_ format: String) -> String? {
    ["PNG": "png", "WEBP": "webp", "JPEG": "jpg"][format]
  }
}
