import MidjourneyAPI

/// The buttons a finished task offers, in Midjourney's customId grammar.
enum SimulatedButtons {
  /// U1–U4, reroll, V1–V4 under a grid.
  static func grid(hash: String) -> [TaskButton] {
    var buttons = (1...4).map { TaskButton(customId: "MJ::JOB::upsample::\($0)::\(hash)", label: "U\($0)") }
    buttons.append(TaskButton(customId: "MJ::JOB::reroll::0::\(hash)::SOLO", emoji: "🔄", label: ""))
    buttons += (1...4).map { TaskButton(customId: "MJ::JOB::variation::\($0)::\(hash)", label: "V\($0)") }
    return buttons
  }

  /// The buttons under an upscale, as in the real upscale sample.
  static func upscale(hash: String) -> [TaskButton] {
    [
      TaskButton(customId: "MJ::JOB::upsample_v6_2x_subtle::1::\(hash)::SOLO", label: "Upscale (Subtle)"),
      TaskButton(customId: "MJ::JOB::upsample_v6_2x_creative::1::\(hash)::SOLO", label: "Upscale (Creative)"),
      TaskButton(customId: "MJ::JOB::low_variation::1::\(hash)::SOLO", label: "Vary (Subtle)"),
      TaskButton(customId: "MJ::JOB::high_variation::1::\(hash)::SOLO", label: "Vary (Strong)"),
      TaskButton(customId: "MJ::Inpaint::1::\(hash)::SOLO", label: "Vary (Region)"),
      TaskButton(customId: "MJ::Outpaint::50::1::\(hash)::SOLO", label: "Zoom Out 2x"),
      TaskButton(customId: "MJ::Outpaint::75::1::\(hash)::SOLO", label: "Zoom Out 1.5x"),
      TaskButton(customId: "MJ::CustomZoom::\(hash)", label: "Custom Zoom"),
      TaskButton(customId: "MJ::JOB::pan_left::1::\(hash)::SOLO", emoji: "⬅️", label: ""),
      TaskButton(customId: "MJ::JOB::pan_right::1::\(hash)::SOLO", emoji: "➡️", label: ""),
      TaskButton(customId: "MJ::JOB::pan_up::1::\(hash)::SOLO", emoji: "⬆️", label: ""),
      TaskButton(customId: "MJ::JOB::pan_down::1::\(hash)::SOLO", emoji: "⬇️", label: ""),
    ]
  }

  /// The buttons under a describe result.
  static func describe() -> [TaskButton] {
    var buttons = (1...4).map { TaskButton(customId: "MJ::Job::PicReader::\($0)", label: "\($0)") }
    buttons.append(TaskButton(customId: "MJ::Picread::Retry", emoji: "🔄", label: ""))
    buttons.append(TaskButton(customId: "MJ::Job::PicReader::all", label: "Imagine all"))
    return buttons
  }

  /// The buttons under a shorten result.
  static func shorten() -> [TaskButton] {
    (1...5).map { TaskButton(customId: "MJ::Job::PromptAnalyzer::\($0)", label: "\($0)") }
  }

  /// What Midjourney writes after the prompt in the finished message of a task made by `customId`.
  static func messageWords(customId: String) -> String {
    let parts = customId.components(separatedBy: "::")
    let name = parts.count > 2 ? parts[2] : ""
    switch (parts.count > 1 ? parts[1] : "", name) {
    case ("JOB", "upsample"): return " - Image #\(parts.count > 3 ? parts[3] : "1")"
    case ("JOB", let upscale) where upscale.hasPrefix("upsample_"):
      return upscale.hasSuffix("creative") ? " - Upscaled (Creative) by" : " - Upscaled (Subtle) by"
    case ("JOB", "variation"): return " - Variations by"
    case ("JOB", "low_variation"): return " - Variations (Subtle) by"
    case ("JOB", "high_variation"): return " - Variations (Strong) by"
    case ("JOB", let pan) where pan.hasPrefix("pan_"): return " - Pan \(pan.dropFirst(4).capitalized) by"
    case ("Outpaint", _), ("CustomZoom", _): return " - Zoom Out by"
    case ("Inpaint", _): return " - Variations (Region) by"
    default: return " -"
    }
  }

  /// What pressing `customId` makes.
  struct Effect: Equatable {
    var action: TaskAction
    var result: SimulatedTask.Result
    /// The index recorded as `action_index`.
    var index: Int
    /// The child first waits in MODAL for `/mj/submit/modal`.
    var needsModal = false
    /// For PicReader / PromptAnalyzer: which of the parent's prompts to imagine.
    var promptChoice: Int?
  }

  /// Reads a customId in the real grammar; nil when it is not one the simulator knows.
  static func effect(of customId: String) -> Effect? {
    let parts = customId.components(separatedBy: "::")
    guard parts.count >= 3, parts[0] == "MJ" else { return nil }
    let number = parts.count > 3 ? Int(parts[3]) ?? 1 : 1
    switch (parts[1], parts[2]) {
    case ("JOB", "upsample"):
      return Effect(action: .upscale, result: .single(quadrant: min(4, max(1, number))), index: number)
    case ("JOB", "variation"): return Effect(action: .variation, result: .grid, index: number)
    case ("JOB", "reroll"): return Effect(action: .reroll, result: .grid, index: 0)
    case ("JOB", "upsample_v6_2x_subtle"), ("JOB", "upsample_v6_2x_creative"):
      return Effect(action: .upscale, result: .single(quadrant: 0), index: 1)
    case ("JOB", "low_variation"), ("JOB", "high_variation"): return Effect(action: .variation, result: .grid, index: 1)
    case ("JOB", let pan) where pan.hasPrefix("pan_"): return Effect(action: .pan, result: .grid, index: 1)
    case ("Outpaint", _): return Effect(action: .zoom, result: .grid, index: 1)
    case ("CustomZoom", _): return Effect(action: .zoom, result: .grid, index: 1, needsModal: true)
    case ("Inpaint", _): return Effect(action: .inpaint, result: .grid, index: 1, needsModal: true)
    case ("Job", "PicReader"), ("Job", "PromptAnalyzer"):
      return Effect(action: .imagine, result: .grid, index: number, promptChoice: number)
    case ("Picread", "Retry"): return Effect(action: .describe, result: .describe, index: 0)
    default: return nil
    }
  }
}
