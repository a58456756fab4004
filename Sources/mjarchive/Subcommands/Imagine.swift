import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive imagine "<prompt>" [--image FILE]… [--wait]` command.
  struct Imagine: SubmitCommand {
    static let configuration = CommandConfiguration(
      abstract: "Submit a prompt (optionally with reference images) for a 2×2 grid.")

    @Argument(help: "The prompt, parameters included, e.g. \"red fox in snow --ar 16:9 --v 6.1\".")
    var prompt: String

    @Option(name: .customLong("image"), help: "A reference image file (PNG, JPEG, WEBP, GIF); repeat for several.")
    var images: [String] = []

    @OptionGroup var correlation: StateOptions
    @OptionGroup var options: SubmitOptions

    func validate() throws {
      try Validation.prompt(prompt)
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let dataURLs = try images.map { (path: String) throws(GatewayError) -> String in
          try ImageDataURL.make(path: path)
        }
        try await reporter.submit(.imagine(prompt: prompt, images: dataURLs, state: correlation.state), what: "imagine")
      }
    }
  }
}
