import ArchiveStore
import Basics

/// One picture of `similar` or `duplicates` as a line: its distance, name, file and prompt, control characters
/// never reaching the terminal.
enum SimilarImageLine {
  static func text(_ match: SimilarImage, by algorithm: HashAlgorithm, prompt: String?) -> String {
    let distance = String(match.distance(by: algorithm))
    return [
      String(repeating: " ", count: max(0, 2 - distance.count)) + distance,
      match.image.name.padding(toLength: 22, withPad: " ", startingAt: 0),
      match.image.path.singleLine(limit: 200),
      (prompt ?? "").singleLine(limit: 100),
    ].joined(separator: "  ")
  }
}
