import ArgumentParser
import Foundation
import MidjourneyAPI
import Simulator

extension MJArchive {
  /// `mjarchive simulator --port N`: the built-in gateway, for trying things and for tests.
  struct RunSimulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "simulator",
      abstract: "Run the built-in gateway simulator on 127.0.0.1 until interrupted.")

    @OptionGroup var options: SimulatorOptions

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    func validate() throws {
      guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
    }

    func run() async throws {
      let gateway = SimulatorGateway(configuration: try options.configuration())
      let server: SimulatorServer
      do {
        server = try await SimulatorServer.start(gateway: gateway, host: host, port: port)
      } catch {
        Console.err("mjarchive: cannot listen on \(host):\(port) (\(error)): pick another --port")
        throw ExitCode.failure
      }
      Console.out("simulator listening on \(server.baseURL)")
      Console.out("try: MJ_BASE_URL=\(server.baseURL) mjarchive imagine \"red fox in snow\" --wait")
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(3600))
      }
      await server.stop()
    }
  }
}
