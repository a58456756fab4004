import Foundation
import GridImage
import SafeFiles

/// Why an export of image files could not be made, in one sentence a user can act on.
public enum FileExportError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The `--layout` template is unusable: the template and why.
  case badLayout(template: String, reason: String)
  /// The folder could not be written, or a link stands in the way.
  case folder(OwnedFolderError)
  /// Another export writes the same folder.
  case busy(path: String, holder: String?)
  /// The folder's manifest is not one an export wrote.
  case badManifest(path: String)
  /// An archive file could not be read for its copy.
  case source(String)

  /// 2 for a bad option, 1 for anything else.
  public var exitCode: Int32 {
    if case .badLayout = self { return 2 }
    return 1
  }

  public var description: String {
    switch self {
    case .badLayout(let template, let reason):
      return "--layout \"\(template)\" cannot be used: \(reason)"
    case .folder(let error):
      return error.description
    case .busy(let path, let holder):
      return "another export is writing \(path)\(holder.map { " (\($0))" } ?? ""); try again when it has finished"
    case .badManifest(let path):
      return "\(path) is not a manifest mjarchive wrote; move it away to export into this folder"
    case .source(let reason):
      return reason
    }
  }
}
