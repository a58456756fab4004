import Foundation
import TestSupport

/// Reads the gateway samples kept byte-for-byte in the shared fixtures.
enum Fixture {
  static let directory = SharedFixtures.gateway

  static func data(_ name: String) throws -> Data {
    try Data(contentsOf: directory.appendingPathComponent(name))
  }

  static var allSampleNames: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }
      .sorted()
  }
}
