/// The shape of a blend's result.
public enum BlendDimensions: String, Sendable, CaseIterable {
  /// 2:3.
  case portrait = "PORTRAIT"
  /// 1:1.
  case square = "SQUARE"
  /// 3:2.
  case landscape = "LANDSCAPE"
}
