import ArchiveStore
import Foundation
import GridImage
import SafeFiles

/// Writes the archive's pictures into a folder people browse (`export-files`): named by a layout, the prompt and
/// parameters inside each PNG, incremental, and never touching a file it did not make.
///
/// The archive's own files are never changed: a PNG with metadata is a new file; a file without is hard-linked
/// (copied where the folder is on another file system). Every write, check and removal goes through
/// `OwnedFolder`, so a link planted in the folder is never followed.
public struct FileExporter: Sendable {
  /// Reads an archive file that is not in the archive's folder (an archive whose images live in a bucket): the
  /// path, SHA-256 and size recorded, to the checked bytes.
  public typealias Fetch = @Sendable (_ path: String, _ sha256: String, _ bytes: Int) async throws -> Data

  public let store: ArchiveStore
  public let destination: URL
  public let options: FileExportOptions
  public let fetch: Fetch?

  public init(store: ArchiveStore, destination: URL, options: FileExportOptions, fetch: Fetch? = nil) {
    self.store = store
    self.destination = destination
    self.options = options
    self.fetch = fetch
  }

  /// Runs the export.
  ///
  /// - Parameter progress: Called after each file with (done, total).
  /// - Throws: `FileExportError`; the files written before stay, and the manifest names them.
  public func run(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws(FileExportError)
    -> FileExportReport
  {
    let folder: OwnedFolder
    let lock: FolderLock
    do {
      folder = try OwnedFolder(destination)
      lock = try FolderLock.acquire(ExportManifest.lockName, in: folder)
    } catch let error as OwnedFolderError {
      throw .folder(error)
    } catch let error as FolderLock.Failure {
      switch error {
      case .held(let holder): throw .busy(path: destination.path, holder: holder)
      case .unusable(let reason): throw .folder(reason)
      }
    } catch {
      throw .source("\(destination.path) cannot be used: \(error)")
    }
    defer { withExtendedLifetime(lock) {} }
    let archive: OwnedFolder
    do {
      archive = try OwnedFolder(store.directory, create: false)
    } catch {
      throw .folder(error)
    }
    let previous = try ExportManifest.read(in: folder)
    let files = try selectedFiles()
    var plan = try ExportPlan(files: files, previous: previous, folder: folder, copying: options.copy)
    try plan.removeLeftovers()
    var report = FileExportReport()
    report.files = files.count
    // Saved before anything is written: a killed run leaves only files the next run knows it made.
    try plan.manifest.write(in: folder)
    var done = 0
    let scratch: QuadrantScratch
    do {
      scratch = try QuadrantScratch(in: folder)
    } catch {
      throw .folder(error)
    }
    defer { scratch.removeAll() }
    let source = Source(archive: archive, scratch: scratch)
    for index in plan.pending {
      let file = plan.files[index]
      let outcome: (status: stat, way: Way)?
      do {
        outcome = try await write(file, to: plan.paths[index], from: source, into: folder)
      } catch {
        // A full disk, say: what was written so far is recorded, so the next run does not write it again.
        try? plan.manifest.write(in: folder)
        throw error
      }
      if let written = outcome {
        plan.manifest.files[index].stamp = FileStamp.of(written.status)
        switch written.way {
        case .withMetadata: report.withMetadata += 1
        case .linked: report.linked += 1
        case .copied: report.copied += 1
        case .sidecar: report.sidecars += 1
        }
      } else {
        report.missing += 1
      }
      done += 1
      progress(done, plan.pending.count)
    }
    report.unchanged = files.count - plan.pending.count
    report.removed = plan.removed
    report.leftAlone = plan.leftAlone
    plan.manifest.files.removeAll { $0.stamp == nil }
    try plan.manifest.write(in: folder)
    return report
  }

  /// How a file was written.
  enum Way { case withMetadata, linked, copied, sidecar }

  /// The tasks the query selects, oldest first (so the older of two files wanting one name keeps it), as files.
  private func selectedFiles() throws(FileExportError) -> [ExportedFile] {
    do {
      let tasks = try store.archivedTasks(matching: options.query).sorted { $0.seq < $1.seq }
      let parents = Dictionary(
        try store.lineageLinks().map { ($0.childId, $0.madeFromId) }, uniquingKeysWith: { first, _ in first })
      return tasks.flatMap { ExportedFile.files(of: $0, parentId: parents[$0.id], options: options) }
    } catch {
      throw .source(error.description)
    }
  }

  /// Where a file's bytes come from: the archive's folder, and the quadrants cut at export time.
  private struct Source {
    let archive: OwnedFolder
    let scratch: QuadrantScratch
  }

  /// Writes one file; nil when its archive file is missing, not the recorded size, or a broken PNG.
  private func write(_ file: ExportedFile, to path: String, from source: Source, into folder: OwnedFolder)
    async throws(FileExportError) -> (status: stat, way: Way)?
  {
    let archive = source.archive
    do {
      if let part = file.splitPart, !file.isSidecar {
        // A quadrant cut now from a grid the archive keeps whole: a new file, never a link.
        guard let quadrant = try? await source.scratch.quadrant(part, of: file.source, archive: archive, fetch: fetch)
        else { return nil }
        if case .withMetadata(let chunks) = file.content {
          guard let marked = try? PNGChunkEditor.adding(chunks, to: quadrant, path: file.source.path) else {
            return nil
          }
          return (try folder.write(marked, to: path, durable: false), .withMetadata)
        }
        return (try folder.write(quadrant, to: path, durable: false), .copied)
      }
      switch file.content {
      case .sidecar(let data):
        return (try folder.write(data, to: path, durable: false), .sidecar)
      case .withMetadata(let chunks):
        guard let bytes = await contents(of: file.source, in: archive),
          let marked = try? PNGChunkEditor.adding(chunks, to: bytes, path: file.source.path)
        else { return nil }
        return (try folder.write(marked, to: path, durable: false), .withMetadata)
      case .asStored:
        guard let descriptor = try? archiveFile(file.source, in: archive) else {
          guard let bytes = await contents(of: file.source, in: archive) else { return nil }
          return (try folder.write(bytes, to: path, durable: false), .copied)
        }
        defer { close(descriptor) }
        // False on another file system, or one without hard links: copied instead.
        if !options.copy, try folder.hardLink(descriptor, to: path), let status = try folder.status(path) {
          return (status, .linked)
        }
        try folder.copy(descriptor, to: path)
        guard let status = try folder.status(path) else { return nil }
        return (status, .copied)
      }
    } catch {
      throw .folder(error)
    }
  }

  /// The archive file open for reading when it is in the archive's folder at its recorded size; nil otherwise.
  private func archiveFile(_ file: StoredFile, in archive: OwnedFolder) throws -> Int32? {
    guard file.path.hasPrefix("images/"), let descriptor = try archive.openForReading(file.path) else { return nil }
    var status = stat()
    guard fstat(descriptor, &status) == 0, Int(status.st_size) == file.bytes else {
      close(descriptor)
      return nil
    }
    return descriptor
  }

  /// The archive file's bytes: from the archive's folder at the recorded size, else through `fetch` (which checks
  /// them); nil when neither has them.
  private func contents(of file: StoredFile, in archive: OwnedFolder) async -> Data? {
    if file.path.hasPrefix("images/"), let bytes = try? archive.contents(file.path), bytes.count == file.bytes {
      return bytes
    }
    return try? await fetch?(file.path, file.sha256, file.bytes)
  }
}
