import Foundation
import MidjourneyAPI

/// One task inside the simulator: what was asked, when, and how it links to its parent.
struct SimulatedTask: Sendable {
  /// What the finished task shows.
  enum Result: Sendable, Equatable {
    /// A 2×2 grid with U/V/reroll buttons.
    case grid
    /// One upscaled quadrant (1–4) of the parent grid, with the upscale buttons.
    case single(quadrant: Int)
    /// Four prompts describing an image.
    case describe
    /// A prompt analysis.
    case shorten
  }

  var id: String
  var action: TaskAction
  var prompt: String
  var state: String
  var result: Result
  /// Seed of the pixels: a grid uses its own id (or the prompt's `--seed`); an upscale its parent's, so it shows
  /// that quadrant.
  var imageSeed: String
  /// The palette and texture every quadrant shares: the prompt's words (`SimulatedImageRenderer.theme(of:)`).
  var imageTheme: String
  /// The scene key of the quadrant a variation (or pan, zoom, region) was made from; nil for a new picture.
  var variationOf: String?
  var createdAt: Date
  /// When work started; nil while waiting for a modal.
  var startedAt: Date?
  var duration: TimeInterval
  var failReason: String?
  var lineage: LineageStyle
  var parent: (id: String, messageId: String, customId: String, index: Int)?
  var messageId: String
  var progressMessageId: String
  var messageHash: String
  var nonce: String
  var describePrompts: [String] = []
  /// The job hash written into the image's Description, when it is not this task's (seeded tasks share images).
  var imageJob: String?
  /// Where the gateway POSTs this task on every change: the submit's `notifyHook`, else the global one.
  var notifyHook: String?

  /// Where the task stands at `now`.
  func status(at now: Date) -> (status: TaskStatus, progress: Int) {
    guard let startedAt else { return (.modal, 0) }
    let elapsed = now.timeIntervalSince(startedAt)
    if elapsed >= duration { return (failReason == nil ? .success : .failure, 100) }
    let fraction = duration > 0 ? elapsed / duration : 1
    if fraction < 0.05 { return (.notStarted, 0) }
    if fraction < 0.15 { return (.submitted, 0) }
    return (.inProgress, min(99, max(1, Int(fraction * 100))))
  }

  /// The step a callback reports at `now`, on which gateways call back when it changes.
  ///
  /// 1 submitted (or waiting), 2–4 progress past 25, 50 and 75 percent, 5 finished.
  func callbackStep(at now: Date) -> Int {
    let (status, progress) = status(at: now)
    if status.isFinal { return 5 }
    guard status == .inProgress else { return 1 }
    return progress >= 75 ? 4 : progress >= 50 ? 3 : progress >= 25 ? 2 : 1
  }

  /// The prompt Midjourney "ran": the user's prompt with a version added when none was given.
  var finalPrompt: String {
    switch result {
    case .describe:
      return describePrompts.enumerated().map { "\($0.offset + 1)️⃣ \($0.element)" }.joined(separator: "\n\n")
    case .shorten: return prompt
    case .grid, .single:
      let hasVersion = prompt.contains("--v ") || prompt.contains("--version ") || prompt.contains("--niji")
      return hasVersion || prompt.hasPrefix("/") ? prompt : prompt + " --v 6.1"
    }
  }

  /// The file name part of the image link, like `adam_rivera4952_cat_<hash>.png`.
  var imageFileName: String {
    // ASCII only, as Midjourney's file names are: a CJK prompt's name would be percent-encoded on the way and no
    // longer match the link's signature.
    let words = prompt.lowercased().unicodeScalars.map {
      $0.isASCII && CharacterSet.alphanumerics.contains($0) ? Character($0) : "_"
    }
    let slug = String(String(words).split(separator: "_").prefix(4).joined(separator: "_").prefix(40))
    return "sim_user_\(slug.isEmpty ? "image" : slug)_\(messageHash).png"
  }
}
