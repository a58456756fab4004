import Foundation

/// Midjourney's job hash: the UUID a task's buttons carry and its image file is named after.
enum JobHash {
  /// The hash inside a customId such as `MJ::JOB::upsample::2::<hash>` or `MJ::CustomZoom::<hash>`.
  static func inCustomId(_ customId: String) -> String? {
    customId.components(separatedBy: "::").first(where: isHash)?.lowercased()
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
  static func isHash(_ text: String) -> Bool {
    let utf8 = Array(text.utf8)
    guard utf8.count == 36 else { return false }
    for (offset, byte) in utf8.enumerated() {
      if [8, 13, 18, 23].contains(offset) {
        guard byte == UInt8(ascii: "-") else { return false }
      } else {
        guard (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70) else {
          return false
        }
      }
    }
    return true
  }
}
