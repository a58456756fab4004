import ArgumentParser
import MidjourneyAPI

/// Argument checks several commands share.
enum Validation {
  /// Refuses a prompt that is only white space.
  static func prompt(_ prompt: String) throws {
    guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw ValidationError("the prompt is empty")
    }
  }

  /// Reads `--thumbs 256,512`: thumbnail edges from 16 to 4096.
  static func thumbnailEdges(_ text: String) throws -> [Int] {
    let edges = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !edges.isEmpty, edges.allSatisfy({ ($0 ?? 0) >= 16 && ($0 ?? 0) <= 4096 }) else {
      throw ValidationError("--thumbs takes edge sizes from 16 to 4096, like 256,512")
    }
    return edges.compactMap { $0 }
  }

  /// Reads `--max-duration`: `90s`, `15m` or `2h`, from `minimum` seconds (10 unless given) to a day.
  static func duration(_ text: String, option: String, minimum: Int = 10) throws -> Duration {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600]
    guard let unit = trimmed.last.flatMap({ units[$0] }), let value = Int(trimmed.dropLast()),
      (minimum...86_400).contains(value * unit)
    else {
      throw ValidationError("\(option) takes a time from \(minimum)s to 24h, like 90s, 14m or 2h")
    }
    return .seconds(value * unit)
  }

  /// Refuses ids that could escape a URL path or a file name.
  static func taskID(_ id: String) throws {
    guard TaskID.isValid(id) else { throw ValidationError(GatewayError.invalidTaskID(id).description) }
  }
}
