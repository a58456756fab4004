import ArgumentParser
import Foundation
import MidjourneyAPI
import Simulator

/// How the simulator behaves: timing, image size, lineage traces, faults.
struct SimulatorOptions: ParsableArguments {
  @Option(help: "Require this key, read from a file (default: accept any key).")
  var apiKeyFile: String?

  @Option(help: "Seconds from submit to a finished task.")
  var taskSeconds: Double = 3

  @Option(help: "Grid size: square (2048²), wide (2912×1632), small (256²) or WxH.")
  var imageSize: String = "square"

  @Option(help: "How children point at parents.")
  var lineage: LineageStyle = .parentId

  @Option(help: "Seconds an image link stays valid.")
  var linkLifetime: Int = 86_400

  @Flag(help: "Leave out list-by-condition, list-by-ids and list (answer 404), like minimal gateways.")
  var noListRoutes = false

  @Option(help: "Answer to a fetch of an unknown task.")
  var missingTask: MissingTaskAnswer = .notFound

  @Option(help: "Share (0–1) of API answers replaced by a 502 HTML page.")
  var faultRate: Double = 0

  @Option(help: "Share of API answers replaced by 429 with Retry-After.")
  var rateLimitRate: Double = 0

  @Option(help: "Share of API answers delayed by --slow-seconds.")
  var slowRate: Double = 0

  @Option(help: "Delay of a slow answer.")
  var slowSeconds: Double = 2

  @Option(help: "Share of API answers with truncated JSON.")
  var truncateRate: Double = 0

  @Option(help: "Share of image downloads cut short.")
  var imageTruncateRate: Double = 0

  @Option(help: "Milliseconds added to every answer, API and images alike.")
  var latencyMs: Int = 0

  @Option(help: "Seed for the random faults.")
  var seed: UInt64 = 42

  @Option(help: "POST every task here on each change when its submit named no notifyHook (the global setting).")
  var notifyHook: String?

  @Option(help: "Share (0–1) of callbacks never sent.")
  var hookDropRate: Double = 0

  @Option(help: "Share (0–1) of callbacks sent twice.")
  var hookDuplicateRate: Double = 0

  @Flag(help: "Send each task's last progress callback again after its final one.")
  var hookReorder = false

  @Option(help: "Milliseconds each callback waits before it is sent.")
  var hookDelayMs: Int = 0

  @Option(help: "Submitted grids cycle through this many pictures, each rendered once (for benchmarks).")
  var distinctImages: Int?

  func validate() throws {
    for (name, rate) in [
      ("--fault-rate", faultRate), ("--rate-limit-rate", rateLimitRate), ("--slow-rate", slowRate),
      ("--truncate-rate", truncateRate), ("--image-truncate-rate", imageTruncateRate),
      ("--hook-drop-rate", hookDropRate), ("--hook-duplicate-rate", hookDuplicateRate),
    ] where !(0...1).contains(rate) {
      throw ValidationError("\(name) must be between 0 and 1")
    }
    guard SimulatedImageSize(parsing: imageSize) != nil else {
      throw ValidationError("--image-size must be square, wide, small or WIDTHxHEIGHT (2–8192)")
    }
    guard taskSeconds >= 0, taskSeconds <= 3600 else { throw ValidationError("--task-seconds must be 0 to 3600") }
    guard (0...60_000).contains(latencyMs) else { throw ValidationError("--latency-ms must be 0 to 60000") }
    guard (0...60_000).contains(hookDelayMs) else { throw ValidationError("--hook-delay-ms must be 0 to 60000") }
    if let distinctImages, !(1...1_000).contains(distinctImages) {
      throw ValidationError("--distinct-images must be 1 to 1000")
    }
  }

  /// The simulator configuration these options describe.
  func configuration() throws -> SimulatorConfiguration {
    var key: String?
    if let apiKeyFile {
      guard case .success(let text) = KeyFile.read(at: apiKeyFile) else {
        throw ValidationError("cannot read a key from \(apiKeyFile)")
      }
      key = text
    }
    var configuration = SimulatorConfiguration(
      apiKey: key, taskSeconds: taskSeconds, imageSize: SimulatedImageSize(parsing: imageSize) ?? .square,
      lineageStyle: lineage, linkLifetimeSeconds: linkLifetime,
      offersListRoutes: !noListRoutes, missingTaskAnswer: missingTask,
      faults: FaultPlan(
        serverErrorRate: faultRate, rateLimitRate: rateLimitRate, slowRate: slowRate, slowSeconds: slowSeconds,
        truncatedJSONRate: truncateRate, truncatedImageRate: imageTruncateRate, seed: seed))
    configuration.latencySeconds = Double(latencyMs) / 1000
    configuration.notifyHook = notifyHook
    configuration.distinctImages = distinctImages
    configuration.hookFaults = HookFaultPlan(
      dropRate: hookDropRate, duplicateRate: hookDuplicateRate, reorder: hookReorder, delayMilliseconds: hookDelayMs,
      seed: seed)
    return configuration
  }
}
