import Foundation
import GridImage

/// Paints deterministic, photo-like PNGs.
///
/// A 2×2 grid of four compositions on one theme, as Midjourney's are: the prompt's words choose the palette and
/// the texture, each quadrant its own shapes and light. A variation starts from the quadrant it was made from and
/// moves things a little; an upscale is that quadrant alone. The same inputs always give the same bytes.
enum SimulatedImageRenderer {
  /// What one quadrant looks like.
  private struct Scene {
    var base: (Double, Double, Double)
    var accent: (Double, Double, Double)
    var frequency: (Double, Double)
    var phase: Double
    var circle: (x: Double, y: Double, radius: Double)

    /// The scene of `key`: a quadrant's own seed, after any seeds of the variations it was made through
    /// (`"first#2~second#1"`).
    init(theme: String, key: String) {
      var generator = SeededGenerator(text: "theme:" + theme)
      func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
      let palette = (40 + unit() * 180, 40 + unit() * 180, 40 + unit() * 180)
      let texture = 2 + unit() * 8
      let steps = key.split(separator: "~")
      generator = SeededGenerator(text: String(steps.first ?? ""))
      base = (palette.0 + (unit() - 0.5) * 40, palette.1 + (unit() - 0.5) * 40, palette.2 + (unit() - 0.5) * 40)
      accent = (255 - base.0 * 0.8, 255 - base.1 * 0.8, 255 - base.2 * 0.8)
      frequency = (texture * (0.5 + unit()), texture * (0.5 + unit()))
      phase = unit() * 6.28
      circle = (0.2 + unit() * 0.6, 0.2 + unit() * 0.6, 0.1 + unit() * 0.22)
      for step in steps.dropFirst() {
        // A variation: the same picture, moved a little.
        generator = SeededGenerator(text: String(step))
        circle = (
          circle.x + (unit() - 0.5) * 0.12, circle.y + (unit() - 0.5) * 0.12, circle.radius * (0.85 + unit() * 0.3)
        )
        phase += (unit() - 0.5) * 0.6
        frequency = (frequency.0 * (0.9 + unit() * 0.2), frequency.1 * (0.9 + unit() * 0.2))
        base = (base.0 + (unit() - 0.5) * 16, base.1 + (unit() - 0.5) * 16, base.2 + (unit() - 0.5) * 16)
      }
    }
  }

  /// The theme of a prompt: its words, without parameters, numbers or punctuation.
  static func theme(of prompt: String) -> String {
    let text = prompt.components(separatedBy: "--").first ?? ""
    return text.lowercased().split { !$0.isLetter }.joined(separator: " ")
  }

  /// The picture seed of a prompt with `--seed N`: the same prompt and seed make the same picture, as on
  /// Midjourney.
  static func seed(of prompt: String) -> String? {
    SimulatorGateway.writtenSeed(in: prompt).map { "seed \($0) \(theme(of: prompt))" }
  }

  /// Renders a PNG.
  ///
  /// - Parameters:
  ///   - seed: Decides the compositions (quadrant `n` uses `seed#n`).
  ///   - theme: Decides the palette and texture all four share (`theme(of:)` of the prompt).
  ///   - variationOf: The scene key of the quadrant this grid varies, if it is a variation.
  ///   - size: The full grid size.
  ///   - quadrant: nil for the whole 2×2 grid, or 1–4 for that quadrant alone at quadrant size.
  ///   - texts: Text chunks to embed, as Midjourney embeds its prompt and job id.
  static func render(
    seed: String, theme: String, variationOf: String?, size: SimulatedImageSize, quadrant: Int?,
    texts: [PNGTextChunk]
  ) throws -> Data {
    let leftWidth = GridGeometry.leftWidth(size.width)
    let topHeight = GridGeometry.topHeight(size.height)
    let width = quadrant.map { $0 % 2 == 1 ? leftWidth : size.width - leftWidth } ?? size.width
    let height = quadrant.map { $0 <= 2 ? topHeight : size.height - topHeight } ?? size.height
    let scenes = (1...4).map { Scene(theme: theme, key: sceneKey(seed: seed, variationOf: variationOf, quadrant: $0)) }
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

  /// The scene key of quadrant `quadrant` of a picture: what a variation of it starts from.
  static func sceneKey(seed: String, variationOf: String?, quadrant: Int) -> String {
    (variationOf.map { $0 + "~" } ?? "") + "\(seed)#\(quadrant)"
  }

  private static func clamp(_ value: Double) -> UInt8 {
    UInt8(max(0, min(255, value.rounded())))
  }
}
