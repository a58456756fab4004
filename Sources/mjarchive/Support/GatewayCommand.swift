import ArgumentParser
import MidjourneyAPI

/// What every command that talks to the gateway shares: building the client and turning errors into one line and an exit code.
protocol GatewayCommand: AsyncParsableCommand {
  var gateway: GatewayOptions { get }
}

extension GatewayCommand {
  /// Runs `body` with a client, prints any `GatewayError` as one line on stderr and exits with its code.
  func withClient(_ body: (GatewayClient) async throws(GatewayError) -> Void) async throws {
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
      try await body(client)
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
