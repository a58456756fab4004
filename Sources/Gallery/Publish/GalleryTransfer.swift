import Basics

/// Moves a gallery's files a few at a time (uploads to a bucket, images brought into a folder), stopping at the
/// first failure.
enum GalleryTransfer {
  /// Runs `move` for each item, `limit` at once; `move` returns the bytes it moved.
  ///
  /// - Returns: How many items were moved, and their bytes.
  /// - Throws: The first `GalleryError` a `move` threw, once those in flight are done.
  static func each<Item: Sendable>(
    _ items: [Item], limit: Int, stage: String, progress: @escaping @Sendable (GalleryProgress) -> Void,
    _ move: @escaping @Sendable (Item) async throws(GalleryError) -> Int
  ) async throws(GalleryError) -> (files: Int, bytes: Int64) {
    let tally = Locked<(files: Int, bytes: Int64, failure: GalleryError?)>((0, 0, nil))
    await items.boundedForEach(limit: limit, shouldStop: { tally.withLock { $0.failure != nil } }) { item in
      do throws(GalleryError) {
        let bytes = try await move(item)
        let done = tally.withLock { tally in
          tally.files += 1
          tally.bytes += Int64(bytes)
          return tally.files
        }
        progress(GalleryProgress(stage: stage, done: done, total: items.count))
      } catch {
        tally.withLock { if $0.failure == nil { $0.failure = error } }
      }
    }
    let outcome = tally.withLock { $0 }
    if let failure = outcome.failure { throw failure }
    return (outcome.files, outcome.bytes)
  }
}
