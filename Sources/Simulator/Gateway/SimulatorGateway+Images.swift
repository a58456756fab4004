import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

extension SimulatorGateway {
  // MARK: - Images

  func imageURL(for task: SimulatedTask, status: TaskStatus, progress: Int, now: Date) -> String {
    let base = publicBase.withLock { $0 }
    let issued = Int(now.timeIntervalSince1970)
    let expires = issued + configuration.linkLifetimeSeconds
    let path: String
    switch (status, task.result) {
    case (_, .shorten): return ""
    case (.success, _): path = "/attachments/\(Self.channelId)/\(task.messageId)/\(task.imageFileName)"
    case (.inProgress, .grid) where progress >= 50:
      path = "/attachments/\(Self.channelId)/\(task.progressMessageId)/\(task.imageFileName.dropLast(4))_grid_0.webp"
    default: return ""
    }
    let ex = String(expires, radix: 16)
    let issuedHex = String(issued, radix: 16)
    return "\(base)\(path)?ex=\(ex)&is=\(issuedHex)&hm=\(Self.signature(path: path, ex: ex, issued: issuedHex))&"
  }

  static func signature(path: String, ex: String, issued: String) -> String {
    var generator = SeededGenerator(text: "\(path)|\(ex)|\(issued)|simulator-secret")
    return (0..<4).map { _ in
      let hex = String(generator.next(), radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }.joined()
  }

  func image(_ request: SimulatorRequest) -> SimulatorResponse {
    let query = request.query
    let path = request.path
    guard let ex = query["ex"], let issued = query["is"], let hm = query["hm"],
      hm == Self.signature(path: path, ex: ex, issued: issued), let expiry = Int(ex, radix: 16)
    else {
      return .text(status: 403, "This content is no longer available.")
    }
    guard Double(expiry) >= clock.now.timeIntervalSince1970 else {
      return .text(status: 403, "This content is no longer available.")
    }
    let segments = path.split(separator: "/").map(String.init)
    guard segments.count == 4,
      let task = state.withLock({ state in state.byMessageId[segments[2]].flatMap { state.tasks[$0] } })
    else {
      return .text(status: 404, "Not Found")
    }
    if segments[3].hasSuffix(".webp") {
      var webp = Data("RIFF".utf8)
      webp +=
        Data([26, 0, 0, 0]) + Data("WEBPVP8L".utf8)
        + Data([13, 0, 0, 0, 0x2F, 0, 0, 0, 0, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0])
      return SimulatorResponse(status: 200, headers: [("Content-Type", "image/webp")], body: webp)
    }
    guard let png = renderedImage(task) else { return .html(status: 500, title: "Internal Server Error") }
    return SimulatorResponse(status: 200, headers: [("Content-Type", "image/png")], body: png)
  }

  /// The task's picture, rendered once and then served from the cache.
  func renderedImage(_ task: SimulatedTask) -> Data? {
    let quadrant: Int?
    if case .single(let index) = task.result { quadrant = index } else { quadrant = nil }
    let job = task.imageJob ?? task.messageHash
    let cacheKey = "\(task.imageSeed)|\(task.imageTheme)|\(task.variationOf ?? "")|\(quadrant ?? 0)|\(job)"
    if let cached = state.withLock({ $0.imageCache[cacheKey] }) { return cached }
    let prompt = task.imageJob == nil ? task.finalPrompt : "seeded image \(task.imageSeed)"
    let texts = [
      PNGTextChunk(key: "Description", text: "\(prompt) Job ID: \(job)"), PNGTextChunk(key: "Author", text: "sim_user"),
    ]
    guard
      let png = try? SimulatedImageRenderer.render(
        seed: task.imageSeed, theme: task.imageTheme, variationOf: task.variationOf, size: configuration.imageSize,
        quadrant: quadrant, texts: texts)
    else { return nil }
    state.withLock { state in
      if state.imageCache.count >= 64 { state.imageCache.removeAll() }
      state.imageCache[cacheKey] = png
    }
    return png
  }
}
