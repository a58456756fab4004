import ArchiveStore
import Basics
import Dispatch
import Foundation
import MidjourneyAPI
import SafeFiles

/// Checks an archive kept for years: SQLite's integrity, the search index, every recorded image
/// against its SHA-256, rows without files, files without rows, grids missing quadrants or thumbnails.
///
/// Reads only; `SyncEngine.repair` acts on what it finds. The caller holds `SyncLock` where it can,
/// so no sync is half-way through writing a file while it looks.
public struct ArchiveVerifier: Sendable {
  public let store: ArchiveStore

  public init(store: ArchiveStore) {
    self.store = store
  }

  /// Runs every check.
  ///
  /// - Parameter progress: Called after each file hashed, from any thread.
  /// - Throws: `SyncError.store` when the archive cannot be read at all.
  public func verify(progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }) throws(SyncError) -> VerifyReport
  {
    var report = try databaseChecks()
    let byPath = Dictionary(grouping: report.records, by: \.file.path)
    let paths = byPath.keys.sorted()
    let archive = try archiveFolder()
    let outcomes = checkFiles(
      paths.map { (path: $0, sha256: byPath[$0]?.first?.file.sha256 ?? "") }, in: archive, progress: progress)
    for (path, outcome) in zip(paths, outcomes) {
      let taskIds = (byPath[path] ?? []).map(\.taskId)
      switch outcome.verdict {
      case .intact: break
      case .unsafe: report.problems.append(Self.unsafe(path, taskIds: taskIds))
      case .missing:
        report.problems.append(VerifyProblem(kind: .missing, path: path, taskIds: taskIds, detail: "no such file"))
      case .damaged(let reason):
        report.problems.append(VerifyProblem(kind: .damaged, path: path, taskIds: taskIds, detail: reason))
      }
      if case .unsafe = outcome.verdict {} else { report.filesChecked += 1 }
      report.bytesChecked += outcome.bytes
    }
    report.problems += incompleteImages(report.records)
    report.problems += strays(known: Set(paths), in: archive)
    return report
  }

  /// SQLite's and FTS5's checks, every image row, and finished tasks without an original.
  func databaseChecks() throws(SyncError) -> VerifyReport {
    var report = VerifyReport()
    do {
      report.databaseProblems = try store.integrityProblems()
      // FTS5's own check reads the index through SQLite: only worth it when SQLite vouches for the pages.
      if report.databaseProblems.isEmpty { report.searchIndexInStep = try store.searchIndexInStep() }
      report.records = try store.imageRecords()
      report.unhashed = try store.unhashedImageCount()
      // Images the archive chose not to download (`sync --only`) are not missing.
      for taskId in try store.finishedTasksWithoutOriginal(only: store.imageSelection()) {
        report.problems.append(
          VerifyProblem(
            kind: .noOriginal, path: "images/originals", taskIds: [taskId],
            detail: "a finished task with an image link and no image recorded: --repair (or sync) brings it home"))
      }
    } catch {
      throw SyncError.store(error)
    }
    report.rows = report.records.count
    return report
  }

  /// The archive folder, opened without following a link.
  func archiveFolder() throws(SyncError) -> OwnedFolder {
    do {
      return try OwnedFolder(store.directory, create: false)
    } catch {
      throw SyncError.files(error.description)
    }
  }

  /// A row whose path leads outside `images/`.
  static func unsafe(_ path: String, taskIds: [String]) -> VerifyProblem {
    VerifyProblem(kind: .unsafePath, path: path, taskIds: taskIds, detail: "the row points outside images/; not opened")
  }

  // MARK: - Files against their rows

  enum Verdict: Equatable {
    case intact, missing, unsafe
    case damaged(String)
  }

  /// Hashes every file on all cores, the larger files spread by taking the next one as a core frees up.
  func checkFiles(
    _ files: [(path: String, sha256: String)], in archive: OwnedFolder, progress: @Sendable (SyncProgress) -> Void
  ) -> [(verdict: Verdict, bytes: Int64)] {
    let next = Locked(0)
    let tally = Locked<(done: Int, bytes: Int, failed: Int)>((0, 0, 0))
    var outcomes = [(verdict: Verdict, bytes: Int64)](repeating: (.intact, 0), count: files.count)
    outcomes.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      DispatchQueue.concurrentPerform(iterations: max(1, ProcessInfo.processInfo.activeProcessorCount)) { _ in
        while true {
          let index = next.withLock { index in
            defer { index += 1 }
            return index
          }
          guard index < files.count else { return }
          let file = files[index]
          let outcome =
            ArchivePath.isSafe(file.path) ? Self.check(file.path, in: archive, sha256: file.sha256) : (.unsafe, 0)
          buffer[index] = outcome
          let now = tally.withLock { tally in
            tally.done += 1
            tally.bytes += Int(outcome.bytes)
            if outcome.verdict != .intact { tally.failed += 1 }
            return tally
          }
          progress(
            SyncProgress(phase: .verifying, done: now.done, total: files.count, bytes: now.bytes, failed: now.failed))
        }
      }
    }
    return outcomes
  }

  /// Reads one file (never through a symbolic link, its own or a folder's) and compares its SHA-256 with the
  /// recorded one.
  static func check(_ path: String, in archive: OwnedFolder, sha256: String) -> (verdict: Verdict, bytes: Int64) {
    let descriptor: Int32
    do {
      guard let opened = try archive.openForReading(path) else { return (.missing, 0) }
      descriptor = opened
    } catch .symbolicLink(let link) {
      let isItself = link == archive.path(path)
      return (
        .damaged(isItself ? "it is a symbolic link, not the file" : "\(link) is a symbolic link, not followed"), 0
      )
    } catch {
      return (.damaged(error.description), 0)
    }
    defer { close(descriptor) }
    guard let contents = ArchiveFiles.hash(descriptor) else {
      return (.damaged("reading it failed (\(String(cString: strerror(errno))))"), 0)
    }
    let (found, total) = (contents.sha, contents.bytes)
    guard found == sha256.lowercased() else {
      return (
        .damaged("its SHA-256 is \(found.prefix(12))…, the archive recorded \(sha256.prefix(12))… (\(total) bytes)"),
        total
      )
    }
    // Recorded as it was, yet not a whole image: kept from a cut download before sync checked for that.
    if let problem = contents.imageProblem { return (.damaged("it is not a whole image: \(problem)"), total) }
    return (.intact, total)
  }

  // MARK: - Grids and thumbnails

  /// Split grids without all four quadrants, quadrants and single PNGs without a thumbnail.
  func incompleteImages(_ records: [ImageRecord]) -> [VerifyProblem] {
    var problems: [VerifyProblem] = []
    for (taskId, rows) in Dictionary(grouping: records, by: \.taskId).sorted(by: { $0.key < $1.key }) {
      guard let original = rows.first(where: { $0.file.kind == .original }), original.file.format == "PNG" else {
        continue
      }
      let thumbnailed = Set(rows.filter { $0.file.kind == .thumbnail }.map(\.file.part))
      let quadrants = Set(rows.filter { $0.file.kind == .quadrant }.map(\.file.part))
      var missing: [String] = []
      if original.isGrid {
        // Not split yet is sync's job (or --no-split); not decoded is kept whole on purpose; a failed split
        // --repair tries again (before sync told a picture that cannot be split from a full disk, both failed).
        if original.split == .failed {
          problems.append(
            VerifyProblem(
              kind: .incomplete, path: original.file.path, taskIds: [taskId],
              detail: "a grid never split (an earlier split failed): --repair tries again"))
          continue
        }
        guard original.split == .split else { continue }
        for part in 1...4 {
          if !quadrants.contains(part) {
            missing.append("quadrant \(part)")
          } else if !thumbnailed.contains(part) {
            missing.append("the thumbnail of quadrant \(part)")
          }
        }
      } else if original.split != .failed && !thumbnailed.contains(0) {
        missing.append("its thumbnail")
      }
      if !missing.isEmpty {
        problems.append(
          VerifyProblem(
            kind: .incomplete, path: original.file.path, taskIds: [taskId],
            detail: "\(missing.joined(separator: ", ")) not recorded"))
      }
    }
    return problems
  }

  // MARK: - Files no row names

  /// Files and links in the image folders that no row names (temporary files of killed runs among them), files
  /// right under `images/`, and links where a folder of the archive should be, which are never entered.
  func strays(known: Set<String>, in archive: OwnedFolder) -> [VerifyProblem] {
    var problems: [VerifyProblem] = []
    func walk(_ relative: String, depth: Int) {
      let entries: [OwnedFolder.Entry]
      do {
        entries = try archive.entries(relative) ?? []
      } catch .symbolicLink(let link) {
        problems.append(
          VerifyProblem(
            kind: .link, path: String(link.dropFirst(archive.root.path.count + 1)),
            detail: "a symbolic link where a folder of the archive should be: never entered; replace it with the real "
              + "folder (or remove it and run verify --repair)"))
        return
      } catch {
        problems.append(VerifyProblem(kind: .damaged, path: relative, detail: error.description))
        return
      }
      for entry in entries {
        let path = relative + "/" + entry.name
        if relative == "images" && (ArchivePath.imageFolders.contains(Substring(entry.name)) || entry.name == "damaged")
        {
          // `damaged/` holds what repair parked; the others what rows name.
          if entry.name == "damaged" && entry.kind != .symbolicLink {
            problems += parked(in: archive)
          } else {
            walk(path, depth: entry.name == "originals" ? 1 : 0)
          }
        } else if entry.kind == .folder && depth > 0 {
          walk(path, depth: depth - 1)
        } else if entry.kind != .folder && !known.contains(path) {
          let leftover = entry.name.hasPrefix(".") && entry.name.hasSuffix(".tmp")
          problems.append(
            VerifyProblem(
              kind: .stray, path: path,
              detail: leftover ? "a temporary file left by an interrupted run" : "no row names this file"))
        }
      }
    }
    walk("images", depth: 0)
    return problems
  }

  /// The damaged originals repair parked, each named `<task id>.<file name>` (ids hold no dot).
  private func parked(in archive: OwnedFolder) -> [VerifyProblem] {
    ((try? archive.entries("images/damaged")) ?? []).compactMap { entry in
      guard entry.kind != .folder else { return nil }
      let taskId = entry.name.split(separator: ".", maxSplits: 1).first.map(String.init)
      let named = taskId.map { TaskID.isValid($0) && entry.name.contains(".") } ?? false
      return VerifyProblem(
        kind: .parked, path: "images/damaged/" + entry.name, taskIds: named ? [taskId ?? ""] : [],
        detail: named
          ? "a damaged copy an earlier repair kept: --repair removes it once the task's image is home"
          : "a damaged copy an earlier repair kept: remove it by hand once its task's image is home")
    }
  }
}
