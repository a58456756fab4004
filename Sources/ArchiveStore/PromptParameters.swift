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
    let (body, parameters) = Self.split(prompt)
    var words = Self.words(body)
    while let first = words.first, let url = Self.imageURL(first) {
      imagePrompts.append(url)
      words.removeFirst()
    }
    text = words.joined(separator: " ")
    for (rawName, rawValue) in parameters {
      let name = rawName.lowercased()
      let value = Self.words(rawValue).map(Self.unwrapped).joined(separator: " ")
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

  /// Splits `text --a 1 --b x y` into the text and `[(a, "1"), (b, "x y")]`; works on scalars, as
  /// it runs for every stored task. A parameter starts after whitespace with `--` or an em/en dash.
  private static func split(_ prompt: String) -> (String.UnicodeScalarView, [(String, String.UnicodeScalarView)]) {
    let scalars = Array(prompt.unicodeScalars)
    var body = String.UnicodeScalarView()
    var parameters: [(String, String.UnicodeScalarView)] = []
    var index = 0
    while index < scalars.count {
      let atBoundary = index == 0 || isSpace(scalars[index - 1])
      var nameStart: Int?
      if atBoundary {
        if scalars[index] == "-", index + 2 < scalars.count, scalars[index + 1] == "-", isNameScalar(scalars[index + 2]) {
          nameStart = index + 2
        } else if scalars[index] == "\u{2014}" || scalars[index] == "\u{2013}", index + 1 < scalars.count,
          isNameScalar(scalars[index + 1])
        {
          nameStart = index + 1
        }
      }
      if let nameStart, scalars[nameStart].properties.isAlphabetic {
        var end = nameStart
        while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: scalars[nameStart..<end])
        parameters.append((String(name), String.UnicodeScalarView()))
        index = end
        continue
      }
      if parameters.isEmpty {
        body.append(scalars[index])
      } else {
        parameters[parameters.count - 1].1.append(scalars[index])
      }
      index += 1
    }
    return (body, parameters)
  }

  private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? (scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r") : scalar.properties.isWhitespace
  }

  private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII
      ? (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_")
      : scalar.properties.isAlphabetic
  }

  /// Whitespace-separated words.
  private static func words(_ scalars: String.UnicodeScalarView) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in scalars {
      if isSpace(scalar) {
        if !current.isEmpty { words.append(String(current)) }
        current = String.UnicodeScalarView()
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
  }

  /// `<https://…>` as final prompts write links, unwrapped.
  private static func unwrapped(_ word: String) -> String {
    word.hasPrefix("<") && word.hasSuffix(">") && word.count > 2 ? String(word.dropFirst().dropLast()) : word
  }

  private static func imageURL(_ word: String) -> String? {
    let word = unwrapped(word)
    return word.hasPrefix("https://") || word.hasPrefix("http://") ? word : nil
  }

  /// `other` as a JSON object with sorted keys, as stored.
  var otherJSON: String {
    if other.isEmpty { return "{}" }
    var object = JSONObject()
    for key in other.keys.sorted() { object[key] = .string(other[key] ?? "") }
    return JSONValue.object(object).serialized()
  }

  /// `imagePrompts` as a JSON array, as stored.
  var imagePromptsJSON: String {
    if imagePrompts.isEmpty { return "[]" }
    return JSONValue.array(imagePrompts.map(JSONValue.string)).serialized()
  }
}
