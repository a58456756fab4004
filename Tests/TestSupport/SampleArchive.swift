import ArchiveStore
import Crypto
import Foundation
import GRDB
import MidjourneyAPI

/// An archive in a temporary folder (for gallery and file exports) made from the real sample tasks, with hostile prompts and ids beside them and
/// PngSuite files as its images: a grid split into four quadrants (no thumbnails: the export makes them) and an
/// upscale of its U2 with a thumbnail as sync makes one.
public final class SampleArchive {
  public static let imagine = "1320098173412546"
  public static let upscale = "1320098173412601"
  public static let scriptPrompt = "1000000000000001"
  public static let svgPrompt = "1000000000000002"
  public static let cjkPrompt = "1000000000000003"
  public static let mixedCase = "AbC-def"
  /// Written straight into the database, as another tool could: the store itself refuses such ids.
  public static let pathLikeId = "../../evil<b>"

  public static let fixtures = SharedFixtures.gateway
  public static let pngSuite = SharedFixtures.pngSuite

  public let directory: URL
  public let store: ArchiveStore
  /// A folder for galleries, removed with the archive.
  public let scratch: URL

  public init() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-sample-\(UUID().uuidString)")
    directory = base.appendingPathComponent("archive")
    scratch = base.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    store = try ArchiveStore(directory: directory)
    _ = try store.store([
      try Self.sample("task-imagine-success.json"), try Self.sample("task-upscale-success.json"),
      try Self.task(Self.scriptPrompt, prompt: "</script><img src=x onerror=alert(1)> a fox", time: 1_741_600_000_000),
      try Self.task(Self.svgPrompt, prompt: "\"><svg onload=alert(1)> owl --ar 16:9 --v 7", time: 1_741_700_000_000),
      try Self.task(Self.cjkPrompt, prompt: "一只黑猫在雪地里 --ar 3:2 --niji 6", time: 1_741_800_000_000),
      try Self.task(Self.mixedCase, prompt: "lighthouse at dusk", time: 1_741_900_000_000),
    ])
    try store.recordFiles(
      [try place("basn2c08.png", as: .original)]
        + (try ["basn0g08.png", "basn2c16.png", "basn4a08.png", "basn6a08.png"].enumerated().map { offset, name in
          try place(name, as: .quadrant, part: offset + 1, task: Self.imagine)
        }), taskId: Self.imagine, split: .split)
    try store.recordFiles(
      [
        try place("basn6a16.png", as: .original),
        try place("basn3p08.png", as: .thumbnail, edge: 256, task: Self.upscale),
      ],
      taskId: Self.upscale, split: .notDecoded)
    let queue = try DatabaseQueue(path: directory.appendingPathComponent("archive.sqlite").path)
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO tasks (seq, id, action, status, prompt, submit_time, raw_json, first_seen, last_fetched)
          VALUES (1, ?, 'IMAGINE', 'SUCCESS', 'a path-like id', 1741000000000, '{}', 0, 0)
          """, arguments: [Self.pathLikeId])
    }
    try queue.close()
  }

  deinit {
    try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
  }

  /// A fresh folder for a gallery (not created).
  public func galleryFolder(_ name: String = UUID().uuidString) -> URL {
    scratch.appendingPathComponent(name)
  }

  /// Copies a PngSuite file into the archive's `images/` as sync would name it and describes it.
  public func place(_ name: String, as kind: StoredFile.Kind, part: Int = 0, edge: Int = 0, task: String = "")
    throws -> StoredFile
  {
    let data = try Data(contentsOf: Self.pngSuite.appendingPathComponent(name))
    let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    let path: String
    switch kind {
    case .original: path = "images/originals/\(sha.prefix(2))/\(sha).png"
    case .quadrant: path = "images/quadrants/\(task)-\(part).png"
    case .thumbnail: path = "images/thumbs/\(task)-\(edge).png"
    }
    let url = directory.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
    let width = Int(data[16]) << 24 | Int(data[17]) << 16 | Int(data[18]) << 8 | Int(data[19])
    let height = Int(data[20]) << 24 | Int(data[21]) << 16 | Int(data[22]) << 8 | Int(data[23])
    return StoredFile(
      kind: kind, part: part, edge: edge, path: path, sha256: sha, format: "PNG", width: width, height: height,
      bytes: data.count)
  }

  public static func sample(_ name: String) throws -> GatewayTask {
    try GatewayTask(raw: try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  /// The imagine sample as another task: its id, prompt and submit time changed, its job hash its own.
  public static func task(_ id: String, prompt: String, time: Int64) throws -> GatewayTask {
    guard var object = try sample("task-imagine-success.json").json.objectValue else {
      throw CocoaError(.fileReadCorruptFile)
    }
    object["id"] = .string(id)
    object["prompt"] = .string(prompt)
    object["promptEn"] = .string(prompt)
    object["submitTime"] = .integer(time)
    object["finishTime"] = .integer(time + 30_000)
    var properties = object["properties"]?.objectValue ?? JSONObject()
    properties["finalPrompt"] = .string(prompt)
    properties["messageHash"] = .string("0000\(id)")
    properties["messageId"] = .string("m\(id)")
    object["properties"] = .object(properties)
    object["buttons"] = .array([])
    let value = JSONValue.object(object)
    return try GatewayTask(json: value, raw: Data(value.serialized().utf8))
  }
}
