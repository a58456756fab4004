import ArgumentParser
import Foundation
import MidjourneyAPI
import Simulator

extension MJArchive {
  /// `mjarchive demo`: the whole flow against the built-in simulator, no key needed.
  struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run imagine → wait → U2 → wait against the built-in simulator and show what happened.")

    @Option(help: "Seconds each simulated task takes.")
    var taskSeconds: Double = 2

    @Option(help: "Grid size: square (2048²), wide (2912×1632), small (256²) or WxH.")
    var imageSize: String = "square"

    func validate() throws {
      guard SimulatedImageSize(parsing: imageSize) != nil else {
        throw ValidationError("--image-size must be square, wide, small or WIDTHxHEIGHT (2–8192)")
      }
      guard taskSeconds >= 0, taskSeconds <= 60 else { throw ValidationError("--task-seconds must be 0 to 60") }
    }

    func run() async throws {
      let key = "sk-demo-" + UUID().uuidString
      let gateway = SimulatorGateway(
        configuration: SimulatorConfiguration(
          apiKey: key, taskSeconds: taskSeconds, imageSize: SimulatedImageSize(parsing: imageSize) ?? .square))
      let server = try await SimulatorServer.start(gateway: gateway)
      let transport = AsyncHTTPClientTransport()
      var failure: GatewayError?
      do {
        let configuration = try GatewayConfiguration(baseURL: server.baseURL, apiKey: key, mode: .fast)
        try await runFlow(client: GatewayClient(configuration: configuration, transport: transport), server: server)
      } catch {
        failure = error
      }
      await transport.shutdown()
      await server.stop()
      if let failure {
        Console.err("mjarchive: demo failed: \(failure.description)")
        throw ExitCode(failure.exitCode)
      }
    }

    private func runFlow(client: GatewayClient, server: SimulatorServer) async throws(GatewayError) {
      let reporter = SubmitReporter(client: client)
      Console.out("mjarchive demo: a built-in gateway simulator is listening on \(server.baseURL)")
      Console.out("")
      let prompt = "a red fox in fresh snow, golden hour --ar 1:1 --v 6.1"
      Console.out("1. imagine \"\(prompt)\"")
      let imagine = try await client.imagine(prompt: prompt)
      Console.out("   submitted: task \(imagine.taskId) (\(SubmitReporter.describe(imagine.outcome)))")
      let grid = try await reporter.follow(taskId: imagine.taskId)
      printIndented(grid)
      Console.out("")
      let upscaleButton = try ButtonSelector.resolve("U2", in: grid.buttons)
      Console.out("2. action U2 on \(grid.id) (customId \(upscaleButton.customId))")
      let action = try await client.action(taskId: grid.id, customId: upscaleButton.customId)
      Console.out("   submitted: task \(action.taskId) (\(SubmitReporter.describe(action.outcome)))")
      let upscale = try await reporter.follow(taskId: action.taskId)
      printIndented(upscale)
      Console.out("")
      Console.out("The upscale \(upscale.id) came from quadrant 2 of grid \(grid.id).")
      Console.out("Against a real gateway: export MJ_BASE_URL=… MJ_API_KEY=…, then `mjarchive imagine \"…\" --wait`.")
    }

    private func printIndented(_ task: GatewayTask) {
      Console.out("   \(task.action?.rawValue ?? "?") \(task.status?.rawValue ?? "?") after \(elapsed(task))")
      if let url = task.imageUrl, !url.isEmpty { Console.out("   image:   \(url)") }
      if let parent = task.parentId { Console.out("   parent:  \(parent)") }
      if !task.buttons.isEmpty {
        Console.out("   buttons: " + task.buttons.map(ButtonSelector.shortName).joined(separator: " · "))
      }
    }

    private func elapsed(_ task: GatewayTask) -> String {
      guard let start = task.submitTime, let end = task.finishTime, end >= start else { return "?" }
      return String(format: "%.1f s", Double(end - start) / 1000)
    }
  }
}
