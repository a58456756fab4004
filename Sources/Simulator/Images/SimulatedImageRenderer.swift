import Foundation
import GridImage

/// Paints deterministic, photo-like PNGs.
///
/// A 2×2 grid of four visibly different scenes, or one scene alone for an upscale. The same seed always gives
/// the same bytes.
enum SimulatedImageRenderer {
  /// What one quadrant looks like.
  private struct Scene {
    var base: (Double, Double, Double)
    var accent: (Double, Double, Double)
    var frequency: (Double, Double)
    var phase: Double
    var circle: (x: Double, y: Double, radius: Double)

    init(seed: String) {
      var generator = SeededGenerator(text: seed)
      func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
      base = (40 + unit() * 180, 40 + unit() * 180, 40 + unit() * 180)
      accent = (255 - base.0 * 0.8, 255 - base.1 * 0.8, 255 - base.2 * 0.8)
      frequency = (2 + unit() * 10, 2 + unit() * 10)
      phase = unit() * 6.28
      circle = (0.25 + unit() * 0.5, 0.25 + unit() * 0.5, 0.12 + unit() * 0.2)
    }
  }

  /// Renders a PNG.
  ///
  /// - Parameters:
  ///   - seed: Decides the scenes (quadrant `n` uses `seed#n`).
  ///   - size: The full grid size.
  ///   - quadrant: nil for the whole 2×2 grid, or 1–4 for that quadrant alone at quadrant size.
  ///   - texts: Text chunks to embed, as Midjourney embeds its prompt and job id.
  static func render(seed: String, size: SimulatedImageSize, quadrant: Int?, texts: [PNGTextChunk]) throws -> Data {
    let leftWidth = GridGeometry.leftWidth(size.width)
    let topHeight = GridGeometry.topHeight(size.height)
    let width = quadrant.map { $0 % 2 == 1 ? leftWidth : size.width - leftWidth } ?? size.width
    let height = quadrant.map { $0 <= 2 ? topHeight : size.height - topHeight } ?? size.height
    let scenes = (1...4).map { Scene(seed: "\(seed)#\($0)") }
    let writer = try PNGWriter(width: width, height: height, colorType: .rgb, bitDepth: 8, texts: texts)
    var row = [UInt8](repeating: 0, count: width * 3)
    var noise: UInt32 = 2_463_534_242 &+ UInt32(truncatingIfNeeded: seed.utf8.reduce(0) { $0 &* 31 &+ Int($1) })
    for y in 0..<height {
      for x in 0..<width {
        let (sceneIndex, localX, localY, sceneWidth, sceneHeight): (Int, Int, Int, Int, Int)
        if let quadrant {
          (sceneIndex, localX, localY, sceneWidth, sceneHeight) = (quadrant - 1, x, y, width, height)
        } else {
          let right = x >= leftWidth
          let bottom = y >= topHeight
          sceneIndex = (bottom ? 2 : 0) + (right ? 1 : 0)
          localX = right ? x - leftWidth : x
          localY = bottom ? y - topHeight : y
          sceneWidth = right ? size.width - leftWidth : leftWidth
          sceneHeight = bottom ? size.height - topHeight : topHeight
        }
        let scene = scenes[sceneIndex]
        let u = Double(localX) / Double(max(1, sceneWidth))
        let v = Double(localY) / Double(max(1, sceneHeight))
        let shade = 0.55 + 0.45 * sin(u * scene.frequency.0 + v * scene.frequency.1 + scene.phase)
        let dx = u - scene.circle.x
        let dy = v - scene.circle.y
        let inside = dx * dx + dy * dy < scene.circle.radius * scene.circle.radius
        let color = inside ? scene.accent : scene.base
        noise ^= noise << 13
        noise ^= noise >> 17
        noise ^= noise << 5
        let grain = Double(Int(noise & 31) - 16)
        row[x * 3] = clamp(color.0 * shade + grain)
        row[x * 3 + 1] = clamp(color.1 * shade + grain * 0.8)
        row[x * 3 + 2] = clamp(color.2 * shade + grain * 0.6)
      }
      try writer.writeRows(row, count: 1)
    }
    return try writer.finishInMemory()
  }

  private static func clamp(_ value: Double) -> UInt8 {
    UInt8(max(0, min(255, value.rounded())))
  }
}
