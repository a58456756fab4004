import Basics

/// Which path prefix selects the gateway's speed mode: `/mj-fast/mj/…`, `/mj-relax/mj/…`, none, or a gateway's own.
public enum GatewayMode: Sendable, Equatable, CustomStringConvertible {
  case none, fast, relax, turbo
  /// A gateway-specific prefix such as `fast` (for `/fast/mj/...`).
  case customPrefix(String)

  /// Parses `none`, `fast`, `relax`, `turbo`, or `/prefix` for a literal path segment.
  ///
  /// - Throws: `GatewayError.invalidConfiguration` for anything else.
  public init(parsing text: String) throws(GatewayError) {
    switch text.lowercased() {
    case "", "none": self = .none
    case "fast": self = .fast
    case "relax": self = .relax
    case "turbo": self = .turbo
    default:
      let segment = text.hasPrefix("/") ? String(text.dropFirst()) : ""
      let allowed = segment.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
          || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
      }
      guard !segment.isEmpty, allowed else {
        throw GatewayError.invalidConfiguration(
          "mode \"\(text.singleLine(limit: 40))\" is not one of none, fast, relax, turbo or /prefix (e.g. /fast)")
      }
      self = .customPrefix(segment)
    }
  }

  /// The path segment before `/mj`, or nil for none.
  public var pathPrefix: String? {
    switch self {
    case .none: return nil
    case .fast: return "mj-fast"
    case .relax: return "mj-relax"
    case .turbo: return "mj-turbo"
    case .customPrefix(let segment): return segment
    }
  }

  public var description: String {
    switch self {
    case .none: return "none"
    case .fast: return "fast"
    case .relax: return "relax"
    case .turbo: return "turbo"
    case .customPrefix(let segment): return "/" + segment
    }
  }
}
