import ArchiveStore
import ObjectStorage
import SafeFiles

/// Why an export could not be made.
public enum GalleryError: Error, CustomStringConvertible, Equatable {
  case store(StoreError)
  case notAGallery(path: String)
  case cannotWrite(path: String, reason: String)
  case badTemplate(file: String, reason: String)
  case badOption(String)
  /// A file or folder of the gallery could not be used safely (a planted link, a full disk).
  case folder(OwnedFolderError)
  /// Another export is writing into the same gallery.
  case busy(path: String, holder: String)
  /// The bucket the gallery is published to refused or failed.
  case bucket(S3Error)
  /// An image of the archive could not be brought into the gallery.
  case imageUnavailable(path: String, reason: String)

  public var description: String {
    switch self {
    case .store(let error):
      return error.description
    case .notAGallery(let path):
      return "\(path) is not empty and holds no mjarchive gallery; export into a new or empty folder"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason)"
    case .badTemplate(let file, let reason):
      return "the template \(file) cannot be used: \(reason)"
    case .badOption(let message):
      return message
    case .folder(let error):
      return error.description
    case .busy(let path, let holder):
      return "another export is writing \(path) (\(holder)): wait for it to finish"
    case .bucket(let error):
      return error.description
    case .imageUnavailable(let path, let reason):
      return "cannot bring \(path) into the gallery: \(reason)"
    }
  }

  /// The exit code: 4 when another export holds the gallery (as for sync's lock), the bucket's for its refusals,
  /// else 1.
  public var exitCode: Int32 {
    switch self {
    case .busy: return 4
    case .bucket(let error): return error.exitCode
    default: return 1
    }
  }
}
