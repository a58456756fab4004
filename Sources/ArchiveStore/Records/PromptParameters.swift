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
  /// Parameters written without a value: `fast`, `relax`, `turbo`, `raw`, `tile`, ….
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
    let bytes = Array(prompt.utf8)
    let (body, parameters) = Self.split(bytes)
    var words = Self.words(bytes[body])
    while let first = words.first, let url = Self.imageURL(first) {
      imagePrompts.append(url)
      words.removeFirst()
    }
    text = words.joined(separator: " ")
    for (rawName, rawValue) in parameters {
      let name = rawName.lowercased()
      let value = Self.words(bytes[rawValue]).map(Self.unwrapped).joined(separator: " ")
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

  /// Splits `text --a 1 --b x y` into the text and `[(a, "1"), (b, "x y")]` as byte ranges.
  ///
  /// It runs for every stored task, so it works on UTF-8 bytes: a parameter starts after white space with
  /// `--` or an em/en dash (`—ar`, as phones autocorrect `--`) followed by an ASCII letter.
  private static func split(_ bytes: [UInt8]) -> (Range<Int>, [(String, Range<Int>)]) {
    var parameters: [(String, Range<Int>)] = []
    var bodyEnd = bytes.count
    var index = 0
    while index < bytes.count {
      var nameStart: Int?
      if index == 0 || spaceLength(endingAt: index, in: bytes) > 0 {
        if bytes[index] == 0x2D, index + 2 < bytes.count, bytes[index + 1] == 0x2D, isLetter(bytes[index + 2]) {
          nameStart = index + 2
        } else if bytes[index] == 0xE2, index + 3 < bytes.count, bytes[index + 1] == 0x80,
          bytes[index + 2] == 0x94 || bytes[index + 2] == 0x93, isLetter(bytes[index + 3])
        {
          nameStart = index + 3
        }
      }
      guard let nameStart else {
        index += 1
        continue
      }
      if parameters.isEmpty {
        bodyEnd = index
      } else {
        parameters[parameters.count - 1].1 = parameters[parameters.count - 1].1.lowerBound..<index
      }
      var end = nameStart
      while end < bytes.count, isLetter(bytes[end]) || (bytes[end] >= 0x30 && bytes[end] <= 0x39) || bytes[end] == 0x5F
      {
        end += 1
      }
      parameters.append((String(decoding: bytes[nameStart..<end], as: UTF8.self), end..<bytes.count))
      index = end
    }
    return (0..<bodyEnd, parameters)
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  /// Length of the white space ending just before `index`: ASCII space/tab/newline, NBSP (C2 A0)
  /// or the ideographic space CJK prompts use (E3 80 80); 0 when there is none.
  private static func spaceLength(endingAt index: Int, in bytes: [UInt8]) -> Int {
    let byte = bytes[index - 1]
    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return 1 }
    if byte == 0xA0, index >= 2, bytes[index - 2] == 0xC2 { return 2 }
    if byte == 0x80, index >= 3, bytes[index - 2] == 0x80, bytes[index - 3] == 0xE3 { return 3 }
    return 0
  }

  /// White-space separated words of a byte range.
  private static func words(_ bytes: ArraySlice<UInt8>) -> [String] {
    var words: [String] = []
    var start = bytes.startIndex
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      var space = 0
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        space = 1
      } else if byte == 0xC2, index + 1 < bytes.endIndex, bytes[index + 1] == 0xA0 {
        space = 2
      } else if byte == 0xE3, index + 2 < bytes.endIndex, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 {
        space = 3
      }
      if space > 0 {
        if index > start { words.append(String(decoding: bytes[start..<index], as: UTF8.self)) }
        index += space
        start = index
      } else {
        index += 1
      }
    }
    if bytes.endIndex > start { words.append(String(decoding: bytes[start..<bytes.endIndex], as: UTF8.self)) }
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
