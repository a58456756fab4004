import SafeFiles

/// What can go wrong reading or writing a PNG, each in one sentence.
public enum GridImageError: Error, CustomStringConvertible, Equatable, Sendable {
  /// libpng refused to encode, with its message.
  case encodingFailed(String)
  /// The output file could not be created or written.
  case cannotWrite(path: String, reason: String)
  /// Pixel data does not match the declared size or format.
  case invalidPixels(String)
  /// The file cannot be opened.
  case cannotRead(path: String)
  /// The file is not a PNG; `looksLike` says what it seems to be.
  case notPNG(path: String, looksLike: String)
  /// libpng found the PNG broken, with its message.
  case decodingFailed(path: String, reason: String)
  /// The image is larger than the limits allow.
  case tooLarge(path: String, reason: String)
  /// The image is too small to split.
  case tooSmall(path: String, width: Int, height: Int)
  /// Writing failed for a reason of the disk's (a full disk, named with its free space).
  case files(OwnedFolderError)

  public var description: String {
    switch self {
    case .encodingFailed(let message): return "PNG encoding failed: \(message)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .invalidPixels(let message): return "invalid pixel data: \(message)"
    case .cannotRead(let path): return "cannot read \(path)"
    case .notPNG(let path, let looksLike): return "\(path) is not a PNG (looks like \(looksLike))"
    case .decodingFailed(let path, let reason): return "\(path) is a broken PNG: \(reason)"
    case .tooLarge(let path, let reason): return "\(path) is larger than allowed (\(reason))"
    case .tooSmall(let path, let width, let height):
      return "\(path) is \(width)×\(height), too small to split into four"
    case .files(let error):
      return error.description
    }
  }

  /// True when the picture itself cannot be split (not a PNG, broken, too large or small).
  ///
  /// Trying again will not help then; anything else (a full disk, a folder that cannot be written) is worth
  /// another try.
  public var isPermanent: Bool {
    switch self {
    case .notPNG, .decodingFailed, .tooLarge, .tooSmall: true
    case .encodingFailed, .cannotWrite, .invalidPixels, .cannotRead, .files: false
    }
  }

  /// The same error with each path that starts with a pair's first text starting with its second instead: files
  /// opened through `/proc/self/fd/N` are named by their real paths.
  public func replacingPaths(_ pairs: [(String, String)]) -> GridImageError {
    func renamed(_ path: String) -> String {
      for (old, new) in pairs where path.hasPrefix(old) { return new + path.dropFirst(old.count) }
      return path
    }
    switch self {
    case .cannotWrite(let path, let reason): return .cannotWrite(path: renamed(path), reason: reason)
    case .cannotRead(let path): return .cannotRead(path: renamed(path))
    case .notPNG(let path, let looksLike): return .notPNG(path: renamed(path), looksLike: looksLike)
    case .decodingFailed(let path, let reason): return .decodingFailed(path: renamed(path), reason: reason)
    case .tooLarge(let path, let reason): return .tooLarge(path: renamed(path), reason: reason)
    case .tooSmall(let path, let width, let height): return .tooSmall(path: renamed(path), width: width, height: height)
    case .files(.noSpace(let path, let free)): return .files(.noSpace(path: renamed(path), freeBytes: free))
    case .files(.system(let operation, let path, let reason)):
      return .files(.system(operation: operation, path: renamed(path), reason: reason))
    case .encodingFailed, .invalidPixels, .files: return self
    }
  }
}
