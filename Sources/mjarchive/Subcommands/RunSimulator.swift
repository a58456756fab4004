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

    @Option(
      help: "Start with this many finished imagine tasks (made an hour ago; their grids cycle through --seed-pictures)."
    )
    var seedTasks = 0

    @Option(
      help: "How many different pictures the seeded tasks' grids cycle through (each rendered once, when first asked).")
    var seedPictures = 8

    @Option(help: "Write the seeded task ids to this file, one a line.")
    var seedIdsOut: String?

    func validate() throws {
      guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
      guard (0...1_000_000).contains(seedTasks) else { throw ValidationError("--seed-tasks must be 0 to 1000000") }
      guard seedPictures >= 1 else { throw ValidationError("--seed-pictures must be at least 1") }
    }

    func run() async throws {
      let gateway = SimulatorGateway(configuration: try options.configuration())
      let seeded = gateway.seedFinishedTasks(count: seedTasks, distinctImages: seedPictures)
      if let seedIdsOut {
        do {
          try Data(seeded.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: seedIdsOut))
        } catch {
          Console.err("mjarchive: cannot write \(seedIdsOut): \(error.localizedDescription)")
          throw ExitCode.failure
        }
      }
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
