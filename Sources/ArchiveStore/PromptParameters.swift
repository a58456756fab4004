import Foundation
import MidjourneyAPI

/// The parameters of a Midjourney prompt (`--ar 16:9 --v 6.1 --sref … --no a, b --tile`), one row of `task_parameters`.
///
/// A value runs to the next ` --name`, so values may hold hyphens, commas and URLs. An em dash
/// (`—ar`, as phones autocorrect `--`) counts as `--`. Unknown parameters are kept in `other`.
public struct PromptParameters: Sendable, Equatable {
  public var aspectRatio: String?
  public var version: String?
  public var niji: String?
  public var stylize: String?
  public var chaos: String?
  public var weird: String?
  public var quality: String?
  public var seed: String?
  /// `--sref` values (URLs or codes), space separated.
  public var sref: String?
  public var styleWeight: String?
  public var cref: String?
  public var characterWeight: String?
  public var imageWeight: String?
  public var no: String?
  public var style: String?
  public var tile = false
  /// Parameters written without a value, e.g. `fast`, `relax`, `turbo`, `raw`, `tile`.
  public var flags: [String] = []
  /// Image URLs at the start of the prompt.
  public var imagePrompts: [String] = []
  /// Parameters not named above, by name (last value wins).
  public var other: [String: String] = [:]
  /// The prompt text without image URLs and parameters.
  public var text = ""

  public init() {}

  private static let aliases: [String: String] = [
    "ar": "ar", "aspect": "ar", "v": "v", "version": "v", "niji": "niji", "s": "s", "stylize": "s",
    "c": "c", "chaos": "c", "w": "w", "weird": "w", "q": "q", "quality": "q", "seed": "seed", "sameseed": "seed",
    "sref": "sref", "sw": "sw", "cref": "cref", "cw": "cw", "iw": "iw", "no": "no", "style": "style", "tile": "tile",
  ]

  /// Parses a prompt.
  public init(parsing prompt: String) {
    let normalized = prompt.replacingOccurrences(of: "\u{2014}", with: "--").replacingOccurrences(of: "\u{2013}", with: "--")
    let (body, parameters) = Self.split(normalized)
    var words = body.split(whereSeparator: \.isWhitespace).map(String.init)
    while let first = words.first, let url = Self.imageURL(first) {
      imagePrompts.append(url)
      words.removeFirst()
    }
    text = words.joined(separator: " ")
    for (rawName, rawValue) in parameters {
      let name = rawName.lowercased()
      let value = Self.cleanValue(rawValue)
      switch Self.aliases[name] {
      case "ar": aspectRatio = value.isEmpty ? nil : value
      case "v": version = value.isEmpty ? nil : value
      case "niji": niji = value.isEmpty ? "default" : value
      case "s": stylize = value
      case "c": chaos = value
      case "w": weird = value
      case "q": quality = value
      case "seed": seed = value
      case "sref": sref = [sref, value].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
      case "sw": styleWeight = value
      case "cref": cref = value
      case "cw": characterWeight = value
      case "iw": imageWeight = value
      case "no": no = value
      case "style": style = value
      case "tile":
        tile = true
        flags.append("tile")
      default:
        if value.isEmpty {
          flags.append(name)
        } else {
          other[name] = value
        }
      }
    }
  }

  /// Splits `text --a 1 --b x y` into the text and `[(a, "1"), (b, "x y")]`.
  private static func split(_ prompt: String) -> (String, [(String, String)]) {
    var parameters: [(String, String)] = []
    var body = ""
    let characters = Array(prompt)
    var index = 0
    var current: (name: String, value: String)?
    while index < characters.count {
      let atBoundary = index == 0 || characters[index - 1].isWhitespace
      if atBoundary, index + 2 < characters.count, characters[index] == "-", characters[index + 1] == "-",
        characters[index + 2].isLetter
      {
        if let current { parameters.append(current) }
        var end = index + 2
        while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
          end += 1
        }
        current = (String(characters[(index + 2)..<end]), "")
        index = end
        continue
      }
      if current != nil {
        current?.value.append(characters[index])
      } else {
        body.append(characters[index])
      }
      index += 1
    }
    if let current { parameters.append(current) }
    return (body, parameters)
  }

  /// Trims a value and unwraps `<https://…>` links as they appear in final prompts.
  private static func cleanValue(_ value: String) -> String {
    value.split(whereSeparator: \.isWhitespace).map { word -> String in
      var word = String(word)
      if word.hasPrefix("<"), word.hasSuffix(">"), word.count > 2 { word = String(word.dropFirst().dropLast()) }
      return word
    }.joined(separator: " ")
  }

  private static func imageURL(_ word: String) -> String? {
    var word = word
    if word.hasPrefix("<"), word.hasSuffix(">") { word = String(word.dropFirst().dropLast()) }
    return word.hasPrefix("https://") || word.hasPrefix("http://") ? word : nil
  }

  /// `other` as a JSON object with sorted keys, as stored.
  var otherJSON: String {
    var object = JSONObject()
    for key in other.keys.sorted() { object[key] = .string(other[key] ?? "") }
    return JSONValue.object(object).serialized()
  }

  /// `imagePrompts` as a JSON array, as stored.
  var imagePromptsJSON: String {
    JSONValue.array(imagePrompts.map(JSONValue.string)).serialized()
  }
}
