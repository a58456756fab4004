import ArchiveStore

/// Why an export could not be made.
public enum GalleryError: Error, CustomStringConvertible, Equatable {
  case store(StoreError)
  case notAGallery(path: String)
  case cannotWrite(path: String, reason: String)
  case badTemplate(file: String, reason: String)
  case badOption(String)

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
    }
  }
}
