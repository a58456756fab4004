/// What kind of job a task is; values the gateway invents later are kept as `unknown`.
public enum TaskAction: Sendable, Hashable, CustomStringConvertible {
  case imagine, upscale, variation, reroll, zoom, pan, describe, blend, shorten, inpaint, outpaint
  case unknown(String)

  private static let known: [(String, TaskAction)] = [
    ("IMAGINE", .imagine), ("UPSCALE", .upscale), ("VARIATION", .variation), ("REROLL", .reroll),
    ("ZOOM", .zoom), ("PAN", .pan), ("DESCRIBE", .describe), ("BLEND", .blend),
    ("SHORTEN", .shorten), ("INPAINT", .inpaint), ("OUTPAINT", .outpaint),
  ]

  public init(rawValue: String) {
    self = Self.known.first(where: { $0.0 == rawValue })?.1 ?? .unknown(rawValue)
  }

  /// The wire spelling, such as `UPSCALE`.
  public var rawValue: String {
    if case .unknown(let value) = self { return value }
    return Self.known.first(where: { $0.1 == self })?.0 ?? ""
  }

  public var description: String { rawValue }
}
