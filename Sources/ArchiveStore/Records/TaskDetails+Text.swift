import Basics
import Foundation
import MidjourneyAPI

extension TaskDetails {
  /// What `show` prints: the task's fields, parameters, buttons, files, parent, children and root, one a line,
  /// every value from the network made safe for a terminal.
  public var text: String {
    var lines: [String] = []
    lines.append("task \(id)")
    if let source = knownFrom { lines.append("  known from:   \(source)") }
    guard let task else {
      lines.append("  not fetched yet: `mjarchive sync` fetches it")
      return lines.joined(separator: "\n") + "\n"
    }
    let fields: [(String, String?)] = [
      ("action", task.action?.rawValue), ("status", task.status?.rawValue), ("progress", task.progress),
      ("prompt", task.prompt), ("prompt (en)", task.promptEn == task.prompt ? nil : task.promptEn),
      ("final prompt", task.finalPrompt), ("description", task.description),
      ("fail reason", task.failReason.flatMap { $0.isEmpty ? nil : $0 }),
      ("state", task.state.flatMap { $0.isEmpty ? nil : $0 }),
      ("submitted", task.submitTime.map(DateText.utc)), ("finished", task.finishTime.map(DateText.utc)),
      ("image url", task.imageUrl.flatMap { $0.isEmpty ? nil : $0 }), ("message hash", task.messageHash),
      ("message id", task.messageId),
    ]
    for case let (name, value?) in fields {
      lines.append("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value.singleLine(limit: 2000))")
    }
    if let parameters {
      let words = parameters.written
      if !words.isEmpty { lines.append("  parameters    " + words.joined(separator: " ").singleLine(limit: 2000)) }
      if let seed, parameters.seed != seed { lines.append("  seed          \(seed) (the gateway's, of the picture)") }
      if !parameters.imagePrompts.isEmpty {
        lines.append("  image prompts " + parameters.imagePrompts.joined(separator: " ").singleLine(limit: 2000))
      }
    }
    if !task.buttons.isEmpty {
      lines.append("  buttons")
      for button in task.buttons {
        lines.append(
          "    \(ButtonSelector.shortName(button).singleLine(limit: 40).padding(toLength: 18, withPad: " ", startingAt: 0)) \(button.customId.singleLine(limit: 200))"
        )
      }
    }
    for image in images {
      lines.append("  \(image.kind) \(image.part == 0 ? "" : "\(image.part) ")\(image.path.singleLine(limit: 300))")
    }
    if let parent {
      let step = parent.buttonText.map { "\($0.singleLine(limit: 40)), " } ?? ""
      let missing = parent.isStored ? "" : ", not in the archive"
      lines.append("  parent        \(parent.id) (\(step)by \(parent.evidence?.description ?? "?")\(missing))")
    }
    if rootId != id { lines.append("  root          \(rootId)") }
    for (offset, child) in children.enumerated() {
      let name = offset == 0 ? "children" : ""
      let step = child.buttonText.map { " (\($0.singleLine(limit: 40)))" } ?? ""
      lines.append("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(child.id)\(step)")
    }
    if parent != nil || !children.isEmpty { lines.append("  family tree:  mjarchive lineage \(id)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
