import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// `mjarchive shorten "<prompt>"`
  struct Shorten: SubmitCommand {
    static let configuration = CommandConfiguration(abstract: "Ask which words of a prompt matter (prompt analysis).")

    @Argument(help: "The prompt to analyse.")
    var prompt: String

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var waitOptions: WaitOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      try Validation.prompt(prompt)
    }

    func run() async throws {
      try await submitting { client, reporter throws(GatewayError) in
        let result = try await client.shorten(prompt: prompt)
        try await reporter.report(result, what: "shorten")
      }
    }
  }
}
