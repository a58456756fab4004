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
    }
  }
}
