import ArgumentParser
import Basics
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive action <task> <U1..U4|V1..V4|reroll|label|customId>` command.
  struct Action: SubmitCommand {
    static let configuration = CommandConfiguration(
      abstract: "Press a button of a finished task (upscale, vary, reroll, zoom, pan…), making a child task.")

    @Argument(help: "The parent task id.")
    var task: String

    @Argument(help: "U1–U4, V1–V4, reroll, a button label such as \"Vary (Strong)\", or a full MJ::… customId.")
    var button: String

    @OptionGroup var correlation: StateOptions
    @OptionGroup var options: SubmitOptions

    func validate() throws {
      try Validation.taskID(task)
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let customId: String
        if button.hasPrefix("MJ::") {
          customId = button
        } else {
          let parent = try await client.fetch(id: task)
          customId = try ButtonSelector.resolve(button, in: parent.buttons).customId
        }
        try await reporter.submit(
          try .action(taskId: task, customId: customId, state: correlation.state),
          what: "action \(button.singleLine(limit: 40)) on \(task)", parent: (task, customId))
      }
    }
  }
}
