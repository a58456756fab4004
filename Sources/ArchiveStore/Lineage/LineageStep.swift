import Foundation
import MidjourneyAPI

/// Which button made a task from its parent: the kind of step and, where it names one, the quadrant.
///
/// Read from the strongest trace at hand: the customId pressed, else the task's action, refined by
/// the words Midjourney writes into the finished message ("Image #2", "Variations (Strong)", "Pan Left").
/// The same step reads the same whichever trace the gateway leaves, so trees match across gateways.
public struct LineageStep: Sendable, Equatable {
  /// upsample, variation, vary_subtle, vary_strong, inpaint, reroll, zoom, pan, upscale_subtle,
  /// upscale_creative, upscale_2x, upscale_4x, prompt_choice, describe_retry, or the button's own name.
  public var kind: String
  /// 1–4 for U1–U4 / V1–V4 (the quadrant of the parent grid), the chosen prompt for prompt_choice; nil otherwise.
  public var index: Int?

  /// Reads a customId such as `MJ::JOB::upsample::2::<hash>` or `MJ::Outpaint::50::1::<hash>::SOLO`.
  public init?(customId: String) {
    let parts = CustomId.parts(customId)
    guard parts.count >= 2, parts[0] == "MJ" else { return nil }
    let group = parts[1].lowercased()
    let name = parts.count > 2 ? parts[2].lowercased() : ""
    let number = parts.count > 3 ? Int(parts[3]) : nil
    switch (group, name) {
    case ("job", "upsample"): self.init(kind: "upsample", index: number)
    case ("job", "variation"): self.init(kind: "variation", index: number)
    case ("job", "reroll"): self.init(kind: "reroll")
    case ("job", "low_variation"): self.init(kind: "vary_subtle")
    case ("job", "high_variation"): self.init(kind: "vary_strong")
    case ("job", "picreader"), ("job", "promptanalyzer"): self.init(kind: "prompt_choice", index: number)
    case ("job", let pan) where pan.hasPrefix("pan_"): self.init(kind: "pan")
    case ("job", let upscale) where upscale.hasPrefix("upsample_"):
      self.init(kind: Self.upscaleKind(upscale))
    case ("outpaint", _), ("customzoom", _): self.init(kind: "zoom")
    case ("inpaint", _): self.init(kind: "inpaint")
    case ("picread", _): self.init(kind: "describe_retry")
    case ("job", _) where !name.isEmpty: self.init(kind: Self.safeName(name))
    default: self.init(kind: Self.safeName(group))
    }
    if let index, !(1...5).contains(index) { self.index = nil }
  }

  /// The step from a task's action and finished message, where no customId says more.
  ///
  /// - Returns: nil for actions that start a family (IMAGINE, BLEND, DESCRIBE, SHORTEN) with no parent evidence.
  public init?(action: TaskAction?, messageContent: String?, actionIndex: Int64?, hasParent: Bool) {
    let message = messageContent ?? ""
    let index = actionIndex.flatMap { (1...5).contains($0) ? Int($0) : nil }
    switch action ?? .unknown("") {
    case .upscale:
      if let kind = Self.kind(in: message, after: "Upscaled (", table: Self.upscaledWords) {
        self.init(kind: kind)
      } else {
        self.init(kind: "upsample", index: Self.imageNumber(in: message) ?? index)
      }
    case .variation:
      self.init(
        kind: Self.kind(in: message, after: "Variations (", table: Self.variationWords) ?? "variation", index: index)
    case .reroll: self.init(kind: "reroll")
    case .zoom, .outpaint: self.init(kind: "zoom")
    case .pan: self.init(kind: "pan")
    case .inpaint: self.init(kind: "inpaint")
    case .imagine where hasParent: self.init(kind: "prompt_choice", index: index)
    case .describe where hasParent: self.init(kind: "describe_retry")
    case .unknown(let name) where hasParent && !name.isEmpty: self.init(kind: Self.safeName(name.lowercased()))
    default: return nil
    }
  }

  /// Makes a step of `kind`.
  public init(kind: String, index: Int? = nil) {
    self.kind = kind
    self.index = index
  }

  /// How the step is shown when the parent's button label is not at hand (U2, V3, 🔄, zoom).
  public var label: String {
    switch (kind, index) {
    case ("upsample", let index?): return "U\(index)"
    case ("variation", let index?): return "V\(index)"
    case ("reroll", _): return "🔄"
    case ("prompt_choice", let index?): return "prompt \(index)"
    default: return kind.replacingOccurrences(of: "_", with: " ")
    }
  }

  /// What a step is called for people: the button's label as the parent showed it, else the step's own label.
  static func text(button: String?, step: LineageStep?) -> String? {
    button.flatMap { $0.isEmpty ? nil : $0 } ?? step?.label
  }

  /// True for a step that gives one finished image rather than a grid: a final pick.
  public var isUpscale: Bool {
    kind == "upsample" || kind.hasPrefix("upscale_")
  }

  private static let upscaledWords = [
    ("Subtle", "upscale_subtle"), ("Creative", "upscale_creative"), ("2x", "upscale_2x"), ("4x", "upscale_4x"),
  ]
  private static let variationWords = [("Strong", "vary_strong"), ("Subtle", "vary_subtle"), ("Region", "inpaint")]

  /// The kind named in parentheses after `prefix` in Midjourney's message ("Upscaled (Subtle)").
  private static func kind(in message: String, after prefix: String, table: [(String, String)]) -> String? {
    // A byte search: Foundation's `range(of:)` was a tenth of an import's parsing thread.
    guard let start = message.utf8.firstRange(of: prefix.utf8) else { return nil }
    let rest = message[start.upperBound...].prefix(16)
    return table.first { rest.hasPrefix($0.0) }?.1
  }

  /// N in "Image #N", Midjourney's words for the quadrant an upscale enlarged.
  private static func imageNumber(in message: String) -> Int? {
    guard let mark = message.utf8.firstRange(of: "- Image #".utf8), let digit = message[mark.upperBound...].first,
      let number = digit.wholeNumberValue, (1...4).contains(number)
    else { return nil }
    return number
  }

  private static func upscaleKind(_ name: String) -> String {
    for word in ["subtle", "creative", "4x", "2x"] where name.contains(word) {
      return "upscale_" + word
    }
    return "upscale"
  }

  /// Keeps an unknown button's name short and plain, as it is shown and stored.
  private static func safeName(_ name: String) -> String {
    String(
      name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" }.prefix(32).map(Character.init)
    )
    .lowercased()
  }
}
