import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive describe IMAGE` command.
  struct Describe: SubmitCommand {
    static let configuration = CommandConfiguration(abstract: "Ask for four prompts that describe an image.")

    @Argument(help: "An image file (PNG, JPEG, WEBP, GIF).")
    var image: String

    @OptionGroup var correlation: StateOptions
    @OptionGroup var options: SubmitOptions

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let request = SubmitRequest.describe(image: try ImageDataURL.make(path: image), state: correlation.state)
        try await reporter.submit(request, what: "describe")
      }
    }
  }
}
