import CPNGShim

/// A PNG color type with its samples per pixel.
public enum PNGColorType: Sendable, Equatable {
  case gray, grayAlpha, rgb, rgba, palette

  /// Samples per pixel.
  public var channels: Int {
    switch self {
    case .gray, .palette: return 1
    case .grayAlpha: return 2
    case .rgb: return 3
    case .rgba: return 4
    }
  }

  init?(code: Int32) {
    switch code {
    case Int32(CPNG_COLOR_GRAY): self = .gray
    case Int32(CPNG_COLOR_GRAY_ALPHA): self = .grayAlpha
    case Int32(CPNG_COLOR_RGB): self = .rgb
    case Int32(CPNG_COLOR_RGBA): self = .rgba
    case Int32(CPNG_COLOR_PALETTE): self = .palette
    default: return nil
    }
  }

  var code: Int32 {
    switch self {
    case .gray: return Int32(CPNG_COLOR_GRAY)
    case .grayAlpha: return Int32(CPNG_COLOR_GRAY_ALPHA)
    case .rgb: return Int32(CPNG_COLOR_RGB)
    case .rgba: return Int32(CPNG_COLOR_RGBA)
    case .palette: return Int32(CPNG_COLOR_PALETTE)
    }
  }
}
