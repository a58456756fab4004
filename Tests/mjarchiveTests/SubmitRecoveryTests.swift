import Foundation
import MidjourneyAPI
import Simulator
import TestSupport
import Testing

/// Submits whose answer is lost, polls that fail, and what the user is told.
@Suite struct SubmitRecoveryTests {
  /// Regression: a cut submit answer exited 1 with nothing recorded and nothing said of the task.
  @Test func aCutSubmitAnswerIsRecordedAndFoundLater() async throws {
    try await SimulatedGateway.run { environment, simulator in
      simulator.inject(.truncatedJSON, on: .submit)
      let imagine = try await CommandRunner.run(["imagine", "red fox"], environment: environment)
      #expect(imagine.status == 1)
      #expect(imagine.stderr.contains("the imagine may have reached the gateway"))
      #expect(imagine.stderr.contains("mjarchive track --pending"))
      let taskId = try #require(simulator.taskIds.first)
      let pending = try await CommandRunner.run(["track", "--pending"], environment: environment)
      #expect(pending.status == 0, "\(pending.stderr)")
      #expect(pending.stdout.contains("found task \(taskId) for the imagine"))
      let shown = try await CommandRunner.run(["show", taskId], environment: environment)
      #expect(shown.stdout.contains("known from:   submit"))
      let again = try await CommandRunner.run(["track", "--pending"], environment: environment)
      #expect(again.stdout == "no submits are waiting to be found\n")
    }
  }

  /// Regression: Ctrl-C while a submit was in flight left no trace of a task the gateway had made.
  @Test func anInterruptedSubmitIsFoundLater() async throws {
    try await SimulatedGateway.run { environment, simulator in
      simulator.inject(.slow(seconds: 30), on: .submit)
      let process = Process()
      process.executableURL = CommandRunner.binary
      process.arguments = ["imagine", "red fox"]
      process.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": CommandRunner.home]) { $1 }
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      for _ in 0..<200 where simulator.taskIds.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
      process.interrupt()
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal)
      let taskId = try #require(simulator.taskIds.first)
      let pending = try await CommandRunner.run(["track", "--pending"], environment: environment)
      #expect(pending.stdout.contains("found task \(taskId) for the imagine"), "\(pending.stderr)")
    }
  }

  /// Regression: `--wait` gave up on the first truncated poll answer.
  @Test func waitRetriesDamagedPollAnswers() async throws {
    try await SimulatedGateway.run { environment, simulator in
      simulator.inject(.truncatedJSON, on: .fetch)
      simulator.inject(.htmlError(status: 200), on: .fetch)
      let imagine = try await CommandRunner.run(
        ["imagine", "red fox", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      #expect(imagine.status == 0, "\(imagine.stderr)")
      #expect(try JSONParser.parse(Data(imagine.stdout.utf8))["task"]?["status"] == .string("SUCCESS"))
    }
  }

  /// Regression: a wait that failed printed nothing with `--json` and did not name the task.
  @Test func aFailedWaitNamesTheTaskAndStillPrintsJSON() async throws {
    try await SimulatedGateway.run { environment, simulator in
      for _ in 0..<10 { simulator.inject(.htmlError(status: 502), on: .fetch) }
      let imagine = try await CommandRunner.run(
        ["imagine", "red fox", "--wait", "--poll-interval", "0.1", "--json"], environment: environment)
      #expect(imagine.status == 1)
      let taskId = try #require(simulator.taskIds.first)
      let object = try JSONParser.parse(Data(imagine.stdout.utf8))
      #expect(object["taskId"] == .string(taskId))
      #expect(object["error"]?.stringValue?.contains("task \(taskId) was submitted and recorded") == true)
      #expect(
        imagine.stderr.contains(
          "task \(taskId) was submitted and recorded, but following it failed (HTTP 502 with an HTML page)"))
    }
  }
}
