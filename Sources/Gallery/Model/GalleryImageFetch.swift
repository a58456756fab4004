import Basics
import Crypto
import Foundation

/// An archive file the gallery names in its `i/` folder and lacks: whoever can reach the archive's images brings
/// it there (or, for a published gallery, into the bucket).
public struct GalleryImageFetch: Sendable, Equatable {
  /// Its path in the gallery (`i/ab/<sha256>.png`).
  public var galleryPath: String
  /// The archive file's path (`images/originals/ab/<sha256>.png`).
  public var archivePath: String
  /// The archive file's SHA-256, to check what is brought.
  public var sha256: String
  /// The archive file's size in bytes.
  public var bytes: Int

  public init(galleryPath: String, archivePath: String, sha256: String, bytes: Int) {
    self.galleryPath = galleryPath
    self.archivePath = archivePath
    self.sha256 = sha256
    self.bytes = bytes
  }

  /// The file's bytes from `read`, checked.
  ///
  /// - Throws: `GalleryError.imageUnavailable` when `read` fails or brings other bytes.
  func read(with read: (GalleryImageFetch) async throws -> Data) async throws(GalleryError) -> Data {
    let body: Data
    do {
      body = try await read(self)
    } catch let error as GalleryError {
      throw error
    } catch {
      throw .imageUnavailable(path: archivePath, reason: "\(error)")
    }
    return try checked(body)
  }

  /// `body` when it is this file (its size and SHA-256), so nothing else is ever published under its name.
  ///
  /// - Throws: `GalleryError.imageUnavailable` otherwise.
  func checked(_ body: Data) throws(GalleryError) -> Data {
    guard body.count == bytes, SHA256.hash(data: body).lowercaseHex == sha256 else {
      throw .imageUnavailable(
        path: archivePath, reason: "what came back is not the recorded file; run `mjarchive verify --repair`")
    }
    return body
  }
}
