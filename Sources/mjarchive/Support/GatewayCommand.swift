import ArchiveStore
import ArgumentParser
import GatewayHTTP
import MidjourneyAPI

/// What every command that talks to the gateway shares: building the client and turning errors into one line and an exit code.
protocol GatewayCommand: AsyncParsableCommand {
  var gateway: GatewayOptions { get }
}

/// A command that submits work and records it in the archive.
protocol SubmitCommand: GatewayCommand {
  var options: SubmitOptions { get }
}

extension SubmitCommand {
  var gateway: GatewayOptions { options.gateway }
  var archive: ArchiveOptions { options.archive }
  var waitOptions: WaitOptions { options.waitOptions }
  var output: OutputOptions { options.output }

  /// Opens the archive first (so nothing is submitted that could not be recorded), then runs `body` with a reporter.
  func submitting(_ body: (GatewayClient, SubmitReporter) async throws(GatewayError) -> Void) async throws {
    let store = try archive.open()
    try await withClient { client throws(GatewayError) in
      var reporter = SubmitReporter(client: client, store: store, wait: waitOptions, output: output)
      reporter.notifyHook = options.callbackURL(for: store)
      try await body(client, reporter)
    }
  }
}

extension GatewayCommand {
  /// Runs `body` with a client, prints any `GatewayError` as one line on stderr and exits with its code.
  func withClient(_ body: (GatewayClient) async throws(GatewayError) -> Void) async throws {
    try await withConnection { client, _ throws(GatewayError) in try await body(client) }
  }

  /// Like `withClient`, also handing over the transport (for downloads outside the gateway's API).
  func withConnection(_ body: (GatewayClient, AsyncHTTPClientTransport) async throws(GatewayError) -> Void) async throws
  {
    let client: GatewayClient
    let transport: AsyncHTTPClientTransport
    do {
      (client, transport) = try gateway.makeClient()
    } catch {
      Console.err("mjarchive: \(error.description)")
      throw ExitCode(error.exitCode)
    }
    var failure: GatewayError?
    do {
      try await body(client, transport)
    } catch {
      failure = error
    }
    await transport.shutdown()
    if let failure {
      Console.err("mjarchive: \(failure.description)")
      throw ExitCode(failure.exitCode)
    }
  }
}
