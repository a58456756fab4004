/// The pixel size of a simulated grid; an upscale is one quadrant of it.
public struct SimulatedImageSize: Sendable, Equatable, CustomStringConvertible {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = max(2, width)
    self.height = max(2, height)
  }

  /// 1:1 on v6.
  public static let square = SimulatedImageSize(width: 2048, height: 2048)
  /// 16:9 on v6.
  public static let wide = SimulatedImageSize(width: 2912, height: 1632)
  /// Small grids for tests.
  public static let small = SimulatedImageSize(width: 256, height: 256)

  /// Parses `square`, `wide`, `small` or `WIDTHxHEIGHT` (2–8192 each).
  public init?(parsing text: String) {
    switch text.lowercased() {
    case "square": self = .square
    case "wide": self = .wide
    case "small": self = .small
    default:
      let parts = text.lowercased().split(separator: "x")
      guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
        (2...8192).contains(width), (2...8192).contains(height)
      else { return nil }
      self.init(width: width, height: height)
    }
  }

  public var description: String { "\(width)x\(height)" }
}
