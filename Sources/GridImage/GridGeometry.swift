/// Where a 2×2 grid divides: the extra column of an odd width goes to the right quadrants, the
/// extra row of an odd height to the bottom ones (the simulator paints grids by the same rule).
public enum GridGeometry {
  /// Width of the left quadrants.
  public static func leftWidth(_ width: Int) -> Int { width / 2 }
  /// Height of the top quadrants.
  public static func topHeight(_ height: Int) -> Int { height / 2 }
}
