import Foundation
import Simulator

/// The built-in simulator on a free loopback port, with a fresh archive folder, for tests that run the binary.
public enum SimulatedGateway {
  /// The API key the simulator requires.
  public static let key = "sk-e2e-4f9c1d2e8b7a6c5d4e3f2a1b0c9d8e7f"

  /// Runs `body` with the environment the binary needs (`MJ_BASE_URL`, `MJ_API_KEY`, `MJARCHIVE_DIR`) and the
  /// simulator's gateway; stops the simulator and removes the archive after.
  public static func run(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(apiKey: key, taskSeconds: 0.3, imageSize: .small),
    _ body: ([String: String], SimulatorGateway) async throws -> Void
  ) async throws {
    let archive = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-e2e-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: archive) }
    try await SimulatorServer.withRunning(configuration) { server in
      try await body(["MJ_BASE_URL": server.baseURL, "MJ_API_KEY": key, "MJARCHIVE_DIR": archive.path], server.gateway)
    }
  }
}
