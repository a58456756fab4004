import Foundation

/// Reads an image file into the `data:image/…;base64,…` form the submit routes take.
public enum ImageDataURL {
  /// Largest image accepted; the gateway rejects bigger uploads anyway.
  public static let maximumBytes = 20 << 20

  /// Reads a PNG, JPEG, WEBP or GIF file.
  ///
  /// - Parameter path: The file.
  /// - Returns: A data URL with the type its content shows (not its file name).
  /// - Throws: `GatewayError.invalidImage` when it cannot be read, is too big or is not an image.
  public static func make(path: String) throws(GatewayError) -> String {
    let url = URL(fileURLWithPath: path)
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? Int, size > maximumBytes {
      throw GatewayError.invalidImage(path: path, reason: "it is larger than \(maximumBytes >> 20) MB")
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw GatewayError.invalidImage(path: path, reason: "it cannot be read")
    }
    guard data.count <= maximumBytes else {
      throw GatewayError.invalidImage(path: path, reason: "it is larger than \(maximumBytes >> 20) MB")
    }
    guard let mime = mimeType(of: data) else {
      throw GatewayError.invalidImage(path: path, reason: "it is not a PNG, JPEG, WEBP or GIF image")
    }
    return "data:\(mime);base64,\(data.base64EncodedString())"
  }

  /// The image type told by the first bytes, or nil.
  public static func mimeType(of data: Data) -> String? {
    let head = [UInt8](data.prefix(12))
    if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
    if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
      return "image/webp"
    }
    if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
    return nil
  }
}
