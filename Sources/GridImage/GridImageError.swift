/// What can go wrong reading or writing a PNG, each in one sentence.
public enum GridImageError: Error, CustomStringConvertible, Equatable, Sendable {
  /// libpng refused to encode, with its message.
  case encodingFailed(String)
  /// The output file could not be created or written.
  case cannotWrite(path: String, reason: String)
  /// Pixel data does not match the declared size or format.
  case invalidPixels(String)

  public var description: String {
    switch self {
    case .encodingFailed(let message): return "PNG encoding failed: \(message)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .invalidPixels(let message): return "invalid pixel data: \(message)"
    }
  }
}
