import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// `mjarchive describe IMAGE`
  struct Describe: SubmitCommand {
    static let configuration = CommandConfiguration(abstract: "Ask for four prompts that describe an image.")

    @Argument(help: "An image file (PNG, JPEG, WEBP, GIF).")
    var image: String

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var waitOptions: WaitOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let result = try await client.describe(image: try ImageDataURL.make(path: image))
        try await reporter.report(result, what: "describe")
      }
    }
  }
}
