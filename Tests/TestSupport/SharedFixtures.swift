import Foundation

/// The fixtures the test targets share, kept once in `Tests/TestSupport/Fixtures/`.
public enum SharedFixtures {
  /// `Tests/TestSupport/Fixtures`.
  public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  /// The gateway's answers, copied byte for byte from `shared/api/samples/`.
  public static let gateway = directory.appendingPathComponent("gateway")

  /// PngSuite, the PNG test images (`shared/testdata/`).
  public static let pngSuite = directory.appendingPathComponent("pngsuite")

  /// A gateway sample by file name, such as `task-imagine-success.json`.
  public static func sample(_ name: String) -> URL {
    gateway.appendingPathComponent(name)
  }

  /// A gateway sample's bytes.
  public static func sampleData(_ name: String) throws -> Data {
    try Data(contentsOf: sample(name))
  }

  /// A PngSuite image by file name, such as `basn2c08.png`.
  public static func png(_ name: String) -> URL {
    pngSuite.appendingPathComponent(name)
  }
}
