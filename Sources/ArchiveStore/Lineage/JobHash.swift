import Foundation

/// Midjourney's job hash: the UUID a task's buttons carry and its image file is named after.
enum JobHash {
  /// The hash inside a customId such as `MJ::JOB::upsample::2::<hash>` or `MJ::CustomZoom::<hash>`.
  static func inCustomId(_ customId: String) -> String? {
    CustomId.parts(customId).first(where: isHash)?.lowercased()
  }

  /// The hash that ends a finished image's file name, `user_prompt_<hash>.png`.
  ///
  /// Progress previews (`…_grid_0.webp`) are left out: they are named after another job.
  static func inImageURL(_ url: String) -> String? {
    let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    let name = (path as NSString).lastPathComponent
    let stem = (name as NSString).deletingPathExtension
    guard stem.count >= 36, !stem.hasSuffix("_grid_0") else { return nil }
    let candidate = String(stem.suffix(36))
    return isHash(candidate) ? candidate.lowercased() : nil
  }

  /// True for text shaped like a UUID: 36 characters, hex digits and four hyphens in the usual places.
  static func isHash<Text: StringProtocol>(_ text: Text) -> Bool {
    guard text.utf8.count == 36 else { return false }
    for (offset, byte) in text.utf8.enumerated() {
      switch offset {
      case 8, 13, 18, 23:
        guard byte == UInt8(ascii: "-") else { return false }
      default:
        guard (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte) else { return false }
      }
    }
    return true
  }
}
