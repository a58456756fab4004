import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// `mjarchive shorten "<prompt>"`
  struct Shorten: GatewayCommand {
    static let configuration = CommandConfiguration(abstract: "Ask which words of a prompt matter (prompt analysis).")

    @Argument(help: "The prompt to analyse.")
    var prompt: String

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var waitOptions: WaitOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw ValidationError("the prompt is empty")
      }
    }

    func run() async throws {
      try await withClient { client throws(GatewayError) in
        let result = try await client.shorten(prompt: prompt)
        try await SubmitReporter(client: client, wait: waitOptions, output: output).report(result, what: "shorten")
      }
    }
  }
}
