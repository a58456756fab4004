import Basics
import ArchiveStore
import Crypto
import Foundation
import MidjourneyAPI
import Simulator

// Soak: the real mjarchive binary against the simulator misbehaving at set rates (5xx HTML pages,
// 429 with Retry-After, truncated JSON, truncated and expired image downloads, random latency):
// submits, then `sync` again and again until the archive is complete, as cron would. Then the
// figures: tasks archived, images byte-identical to what the gateway serves, submits the gateway
// received twice, requests per task. Run by bench/soak.sh; never part of the tests.
// Usage: SoakBenchmark MJARCHIVE_BINARY [TASKS] [SUBMITS]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let binaryPath = arguments.first else {
  FileHandle.standardError.write(Data("usage: SoakBenchmark MJARCHIVE_BINARY [TASKS] [SUBMITS]\n".utf8))
  exit(2)
}
let taskCount = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let submitCount = arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100
let key = "sk-soak-0123456789abcdefghijklmnop"
let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-soak-\(getpid())")
defer { try? FileManager.default.removeItem(at: archive) }

/// Prints a line at once.
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// Runs the binary and returns its exit status and standard output.
func mjarchive(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: binaryPath)
  process.arguments = arguments
  process.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]) { $1 }
  let output = Pipe()
  process.standardOutput = output
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

var configuration = SimulatorConfiguration(apiKey: key, taskSeconds: 0.2, imageSize: .small)
configuration.faults = FaultPlan(
  serverErrorRate: 0.10, rateLimitRate: 0.05, truncatedJSONRate: 0.02, truncatedImageRate: 0.02,
  expiredImageRate: 0.01, latencyJitterSeconds: 0.02, retryAfterSeconds: 1, seed: 7)
let started = Date()

try await SimulatorServer.withRunning(configuration) { server in
  let gateway = server.gateway
  let environment = ["MJ_BASE_URL": server.baseURL, "MJ_API_KEY": key, "MJARCHIVE_DIR": archive.path]
  let seeded = gateway.seedFinishedTasks(count: taskCount, distinctImages: 64)
  for start in stride(from: 0, to: seeded.count, by: 2_000) {
    _ = try mjarchive(["track"] + seeded[start..<min(start + 2_000, seeded.count)], environment: environment)
  }
  // Submits: each may fail (a 502 page, a cut answer); mjarchive must never send one twice.
  var submitExits: [Int32: Int] = [:]
  for index in 1...max(1, submitCount) {
    let outcome = try mjarchive(["imagine", "soak fox \(index)", "--state", "soak-\(index)"], environment: environment)
    submitExits[outcome.status, default: 0] += 1
  }
  // Syncs until complete, as cron would run them.
  var rounds = 0
  var complete = false
  while rounds < 40 && !complete {
    rounds += 1
    let sync = try mjarchive(["sync", "--rate", "0", "--concurrency", "16"], environment: environment)
    let stats = try JSONParser.parse(Data(try mjarchive(["stats", "--json"], environment: environment).stdout.utf8))
    let left = ["unfetched", "withoutImages", "pendingSubmits", "tasks"].map { stats[$0]?.int64Value ?? -1 }
    // Complete: every task the gateway made is archived with its image. A submit refused by a 502
    // never reached the gateway; it stays pending (unknown) for a day by design, so it is not waited for.
    complete = sync.status == 0 && left[0] == 0 && left[1] == 0 && left[3] == Int64(gateway.taskIds.count)
    emit(
      "round \(rounds): sync exit \(sync.status), archived \(left[3]) of \(gateway.taskIds.count), unfetched \(left[0]), "
        + "without images \(left[1]), pending submits \(left[2])")
  }
  let seconds = Date().timeIntervalSince(started)
  let requests = gateway.receivedRequests.count
  gateway.stopRandomFaults()

  // What the gateway made, against what the archive holds.
  let states = gateway.submittedStates
  let repeated = Dictionary(grouping: states, by: { $0 }).values.filter { $0.count > 1 }.count
  let store = try ArchiveStore(readingFrom: archive)
  let originals = Dictionary(
    try store.imageRecords().filter { $0.file.kind == .original }.map { ($0.taskId, $0.file) }, uniquingKeysWith: { a, _ in a })
  let made = gateway.taskIds
  var identical = 0
  var served: [String: String] = [:]
  for id in made {
    guard let file = originals[id] else { continue }
    guard let bytes = gateway.servedImage(taskId: id) else { continue }
    let key = String(bytes.count) + ":" + String(bytes.prefix(64).hashValue)
    let sha = served[key] ?? SHA256.hash(data: bytes).lowercaseHex
    served[key] = sha
    let onDisk = try Data(contentsOf: archive.appendingPathComponent(file.path))
    if file.sha256 == sha && SHA256.hash(data: onDisk).lowercaseHex == sha { identical += 1 }
  }
  let archivedStats = try store.stats()
  let archived = archivedStats.tasks
  let verify = try mjarchive(["verify"], environment: environment)
  emit("")
  emit("| figure | value |")
  emit("|---|---:|")
  emit("| tasks the gateway made (seeded + submits that arrived) | \(made.count) |")
  emit("| tasks archived | \(archived) |")
  emit("| images byte-identical to what the gateway serves | \(identical) of \(made.count) |")
  emit("| submits sent / exits 0, 1, other | \(submitCount) / \(submitExits[0] ?? 0), \(submitExits[1] ?? 0), \(submitCount - (submitExits[0] ?? 0) - (submitExits[1] ?? 0)) |")
  emit("| submits the gateway received twice | \(repeated) |")
  emit("| submits left pending (answer lost, task never made: kept a day, by design) | \(archivedStats.pendingSubmits) |")
  emit("| sync runs until complete | \(rounds)\(complete ? "" : " (not complete)") |")
  emit("| requests the gateway answered | \(requests) (\(String(format: "%.2f", Double(requests) / Double(max(1, made.count)))) per task) |")
  emit("| wall time | \(String(format: "%.0f", seconds)) s |")
  emit("| `mjarchive verify` | exit \(verify.status) |")
  for line in verify.stdout.split(separator: "\n").prefix(8) { emit("    verify: \(line)") }
}
