import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive shorten "<prompt>"` command.
  struct Shorten: SubmitCommand {
    static let configuration = CommandConfiguration(abstract: "Ask which words of a prompt matter (prompt analysis).")

    @Argument(help: "The prompt to analyse.")
    var prompt: String

    @OptionGroup var correlation: StateOptions
    @OptionGroup var options: SubmitOptions

    func validate() throws {
      try Validation.prompt(prompt)
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        try await reporter.submit(.shorten(prompt: prompt, state: correlation.state), what: "shorten")
      }
    }
  }
}
