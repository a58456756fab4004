import Basics
import Foundation
import MidjourneyAPI

/// Reads an API key kept in a file (first line or whole file, surrounding white space trimmed).
enum KeyFile {
  /// Why a key file gave no key.
  enum Problem: Error {
    case unreadable, empty
  }

  /// A warning when others than the owner may read the file, as ssh gives for a private key.
  static func exposureWarning(at path: String, what: String = "API key file") -> String? {
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return nil }
    let mode = String(status.st_mode & 0o777, radix: 8)
    let name = path.singleLine(limit: 200)
    return "warning: the \(what) \(name) can be read by other users (mode \(mode)): run chmod 600 \(name)"
  }

  /// The key in the file at `path`.
  static func read(at path: String) -> Result<String, Problem> {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      return .failure(.unreadable)
    }
    let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return key.isEmpty ? .failure(.empty) : .success(key)
  }
}
