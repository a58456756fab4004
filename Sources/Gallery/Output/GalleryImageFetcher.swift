import Basics
import Foundation
import SafeFiles

/// Brings the images a gallery names and lacks into its folder, from where the archive keeps them (a bucket).
///
/// Each file is checked by its size and SHA-256 before it takes its name, and written through `OwnedFolder` (a
/// temporary file and a rename, no link followed), so an interrupted run leaves no half image and the next export
/// lists what is still missing.
public struct GalleryImageFetcher: Sendable {
  /// Files read at once.
  public var concurrency = 8

  public init() {}

  /// Reads each of `images` with `read` and writes it into the gallery at `folder`.
  ///
  /// - Returns: How many files and bytes were written.
  /// - Throws: `GalleryError.imageUnavailable` when a file cannot be read or is not the recorded one, `.folder`
  ///   when it cannot be written safely.
  public func fetch(
    _ images: [GalleryImageFetch], into folder: URL,
    read: @escaping @Sendable (GalleryImageFetch) async throws -> Data,
    progress: @escaping @Sendable (GalleryProgress) -> Void = { _ in }
  ) async throws(GalleryError) -> (files: Int, bytes: Int64) {
    guard !images.isEmpty else { return (0, 0) }
    let owned: OwnedFolder
    do {
      owned = try OwnedFolder(folder, create: false)
    } catch {
      throw .folder(error)
    }
    return try await GalleryTransfer.each(
      images, limit: concurrency, stage: "fetching images", progress: progress
    ) { image throws(GalleryError) in
      let body = try await image.read(with: read)
      do throws(OwnedFolderError) {
        _ = try owned.folder((image.galleryPath as NSString).deletingLastPathComponent)
        try owned.write(body, to: image.galleryPath, durable: false)
      } catch {
        throw .folder(error)
      }
      return body.count
    }
  }
}
