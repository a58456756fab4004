import ArchiveStore
import Basics
import Foundation
import GridImage

/// Hashes the originals and quadrants stored before hashes were kept (`reindex --hashes`): each content once, from
/// its stored file, on every core, recorded a batch at a time, so a run stopped half-way keeps what it did and the
/// next one goes on from there.
public struct ArchiveHasher: Sendable {
  public let store: ArchiveStore
  /// Pictures decoded between two writes.
  static let batchSize = 256

  public init(store: ArchiveStore) {
    self.store = store
  }

  /// What a run did.
  public struct Report: Sendable {
    /// Pictures hashed.
    public var hashed = 0
    /// Pictures that could not be read or decoded, each with why: they get no hash.
    public var failed: [(path: String, reason: String)] = []
  }

  /// Hashes every picture still without hashes.
  ///
  /// - Parameter progress: Told pictures done and the total after each batch.
  /// - Throws: `SyncError` when the archive cannot be read or written.
  public func run(progress: (Int, Int) -> Void = { _, _ in }) throws(SyncError) -> Report {
    let files: ArchiveFiles
    let pending: [(sha256: String, path: String)]
    do {
      files = try ArchiveFiles(root: store.directory)
      pending = try store.imagesWithoutHashes()
    } catch let error as DownloadError {
      throw .files(error.description)
    } catch {
      throw .store(error as? StoreError ?? .database("\(error)"))
    }
    var report = Report()
    for start in stride(from: 0, to: pending.count, by: Self.batchSize) {
      let batch = Array(pending[start..<min(pending.count, start + Self.batchSize)])
      let outcomes = batch.concurrentMapOneByOne { picture -> Result<ImageHashes, any Error> in
        Result {
          let descriptor = try files.readable(picture.path)
          defer { close(descriptor) }
          do throws(GridImageError) {
            return ImageHashes(sample: try Thumbnailer().sample(of: "/proc/self/fd/\(descriptor)"))
          } catch {
            throw error.replacingPaths([("/proc/self/fd/\(descriptor)", files.owned.path(picture.path))])
          }
        }
      }
      var hashes: [String: ImageHashes] = [:]
      for (picture, outcome) in zip(batch, outcomes) {
        switch outcome {
        case .success(let pair): hashes[picture.sha256] = pair
        case .failure(let error):
          report.failed.append((picture.path, "\(error)"))
        }
      }
      do {
        try store.recordHashes(hashes)
      } catch {
        throw .store(error)
      }
      report.hashed += hashes.count
      progress(start + batch.count, pending.count)
    }
    return report
  }
}
