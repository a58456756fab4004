import Foundation

/// Reads an API key kept in a file (first line or whole file, surrounding white space trimmed).
enum KeyFile {
  /// Why a key file gave no key.
  enum Problem: Error {
    case unreadable, empty
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
