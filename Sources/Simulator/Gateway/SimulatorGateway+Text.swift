import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

extension SimulatorGateway {
  // MARK: - Text

  func bannedWord(in prompt: String) -> String? {
    configuration.bannedWords.first { Self.containsWord($0, in: prompt) }
  }

  /// The prompt's `--seed N` (0…4294967295), where it has one.
  static func writtenSeed(in prompt: String) -> UInt32? {
    let words = prompt.split(separator: " ")
    return zip(words, words.dropFirst()).first { $0.0 == "--seed" && $0.1.allSatisfy(\.isASCII) }
      .flatMap { UInt32($0.1) }
  }

  static func containsWord(_ word: String, in text: String) -> Bool {
    text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains { $0 == word.lowercased() }
  }

  static func lineageOverride(_ state: String) -> LineageStyle? {
    guard state.hasPrefix("lineage:") else { return nil }
    return LineageStyle(rawValue: String(state.dropFirst("lineage:".count)))
  }

  static func describePrompts(seed: String) -> [String] {
    var generator = SeededGenerator(text: seed)
    let subjects = [
      "a black cat on a windowsill", "a lighthouse in a storm", "a fox in autumn leaves", "a paper boat on a lake",
    ]
    let styles = ["soft realism", "minimalist poster", "cinematic lighting, 35mm photo", "dark academia aesthetic"]
    return (0..<4).map { index in
      let subject = subjects[Int(generator.next() % UInt64(subjects.count))]
      return "\(subject), \(styles[index]) --ar 1:1"
    }
  }

  static func shortenedPrompts(_ prompt: String) -> [String] {
    let words = prompt.split(separator: " ")
    return (1...5).map { step in
      words.prefix(max(1, words.count * (6 - step) / 5)).joined(separator: " ")
    }
  }
}
