import Basics
import Crypto
import Foundation
import MidjourneyAPI

/// File names in the gallery for tasks and images.
///
/// Names hold only `[a-z0-9_-]`, so no id from the gateway can escape the folder, collide on a case-insensitive disk
/// (FAT, exFAT, APFS) or need escaping in a URL. Pages are spread over 100-odd folders by their last two characters,
/// since FAT32 holds ~65k names per folder.
enum PageNames {
  /// The file name (without extension) for a task's pages: the id itself when it is a safe lower-case id, else `x`
  /// and 32 hex digits of its SHA-256.
  static func name(of id: String) -> String {
    if TaskID.isValid(id), !id.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
      return id
    }
    return "x" + SHA256.hash(data: Data(id.utf8)).prefix(16).lowercaseHex
  }

  /// `t/<shard>/<name>.html`.
  static func taskPage(_ id: String) -> String {
    let name = name(of: id)
    return "t/\(shard(name))/\(name).html"
  }

  /// `f/<shard>/<name>.html`: the family page of the root `id`.
  static func familyPage(_ id: String) -> String {
    let name = name(of: id)
    return "f/\(shard(name))/\(name).html"
  }

  /// `p/<number>.html`: an older index page.
  static func indexPage(_ number: Int) -> String {
    "p/\(number).html"
  }

  /// `i/<ab>/<sha256>.<ext>`, or `i/<ab>/<sha256>-<edge>.png` for a thumbnail made from that file.
  static func image(sha256: String, fileExtension: String, thumbnailEdge: Int? = nil) -> String {
    let prefix = sha256.prefix(2)
    if let edge = thumbnailEdge { return "i/\(prefix)/\(sha256)-\(edge).png" }
    return "i/\(prefix)/\(sha256).\(fileExtension)"
  }

  /// How to reach the gallery's top from a page at `path`: `""`, `../` or `../../`.
  static func base(of path: String) -> String {
    String(repeating: "../", count: path.utf8.filter { $0 == UInt8(ascii: "/") }.count)
  }

  private static func shard(_ name: String) -> String {
    String(name.suffix(2))
  }
}
