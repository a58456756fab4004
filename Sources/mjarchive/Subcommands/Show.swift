import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive show <id>` command.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Everything about one task: fields, parameters, buttons, files, parent, children and root.")

    @Argument(help: "The task id.")
    var id: String

    @Flag(help: "Print the task's JSON exactly as the gateway sent it.")
    var json = false

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      try Validation.taskID(id)
    }

    func run() throws {
      let store = try archive.openForReading()
      let details = try reportingStoreErrors { () throws(StoreError) in try store.details(id: id) }
      if json {
        guard let raw = details.task?.raw else {
          Console.err("mjarchive: task \(id) is known but not fetched yet: `mjarchive sync` fetches it")
          throw ExitCode.failure
        }
        Console.out(bytes: raw)
        if raw.last != 0x0A { Console.out("") }
        return
      }
      Console.out("task \(id)")
      if let source = details.knownFrom { Console.out("  known from:   \(source)") }
      guard let task = details.task else {
        Console.out("  not fetched yet: `mjarchive sync` fetches it")
        return
      }
      let lines: [(String, String?)] = [
        ("action", task.action?.rawValue), ("status", task.status?.rawValue), ("progress", task.progress),
        ("prompt", task.prompt), ("prompt (en)", task.promptEn == task.prompt ? nil : task.promptEn),
        ("final prompt", task.finalPrompt), ("description", task.description),
        ("fail reason", task.failReason.flatMap { $0.isEmpty ? nil : $0 }),
        ("state", task.state.flatMap { $0.isEmpty ? nil : $0 }),
        ("submitted", task.submitTime.map(DateText.utc)), ("finished", task.finishTime.map(DateText.utc)),
        ("image url", task.imageUrl.flatMap { $0.isEmpty ? nil : $0 }), ("message hash", task.messageHash),
        ("message id", task.messageId),
      ]
      for case let (name, value?) in lines {
        Console.out("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value.singleLine(limit: 2000))")
      }
      if let parameters = details.parameters {
        let words = parameters.written
        if !words.isEmpty { Console.out("  parameters    " + words.joined(separator: " ").singleLine(limit: 2000)) }
        if !parameters.imagePrompts.isEmpty {
          Console.out("  image prompts " + parameters.imagePrompts.joined(separator: " ").singleLine(limit: 2000))
        }
      }
      if !task.buttons.isEmpty {
        Console.out("  buttons")
        for button in task.buttons {
          Console.out(
            "    \(ButtonSelector.shortName(button).singleLine(limit: 40).padding(toLength: 18, withPad: " ", startingAt: 0)) \(button.customId.singleLine(limit: 200))"
          )
        }
      }
      for image in details.images {
        Console.out("  \(image.kind) \(image.part == 0 ? "" : "\(image.part) ")\(image.path.singleLine(limit: 300))")
      }
      if let parent = details.parent {
        let step = parent.buttonText.map { "\($0.singleLine(limit: 40)), " } ?? ""
        let missing = parent.isStored ? "" : ", not in the archive"
        Console.out("  parent        \(parent.id) (\(step)by \(parent.evidence?.description ?? "?")\(missing))")
      }
      if details.rootId != id { Console.out("  root          \(details.rootId)") }
      for (offset, child) in details.children.enumerated() {
        let name = offset == 0 ? "children" : ""
        let step = child.buttonText.map { " (\($0.singleLine(limit: 40)))" } ?? ""
        Console.out("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(child.id)\(step)")
      }
      if details.parent != nil || !details.children.isEmpty { Console.out("  family tree:  mjarchive lineage \(id)") }
    }
  }
}
