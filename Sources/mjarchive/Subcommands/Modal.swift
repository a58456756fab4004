import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive modal <task> [--prompt P] [--mask FILE]` command.
  struct Modal: SubmitCommand {
    static let configuration = CommandConfiguration(
      abstract: "Complete a task waiting in MODAL (Custom Zoom needs --prompt, Vary (Region) needs --mask).")

    @Argument(help: "The task in MODAL status (the child an action made).")
    var task: String

    @Option(help: "The prompt for the window, e.g. \"cat --zoom 1.5\".")
    var prompt: String?

    @Option(help: "Mask image for Vary (Region): white where to repaint.")
    var mask: String?

    @OptionGroup var options: SubmitOptions

    func validate() throws {
      try Validation.taskID(task)
      guard prompt != nil || mask != nil else { throw ValidationError("give --prompt, --mask, or both") }
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let maskData = try mask.map { (path: String) throws(GatewayError) -> String in try ImageDataURL.make(path: path)
        }
        try await reporter.submit(try .modal(taskId: task, prompt: prompt, maskBase64: maskData), what: "modal")
      }
    }
  }
}
