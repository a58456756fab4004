import ArchiveStore
import ArgumentParser
import Foundation
import GridImage
import Sync

extension MJArchive {
  /// The `mjarchive similar TASK[:N] | --image FILE.png` command.
  struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The archive's pictures nearest a task's picture or a PNG file, by perceptual hash.",
      discussion: """
        Every original and quadrant is hashed as it is split (a 64-bit DCT hash and a 64-bit difference hash); \
        the distance is how many of the 64 bits differ: 0 is the same picture, up to about 10 a copy resized, \
        re-encoded or upscaled, 32 and more unrelated. Flat pictures are never offered.
        """)

    @Argument(help: "A task (its whole picture) or TASK:N (its quadrant N, 1–4).")
    var picture: String?

    @Option(help: "A PNG file to look for instead of a task's picture.")
    var image: String?

    @Option(name: .customLong("max-distance"), help: "Most bits that may differ (0–64).")
    var maxDistance = HashIndex.similarDistance

    @Option(help: "Most pictures to show (1–10000).")
    var limit = 10

    @Option(help: "The hash that decides: phash, dhash or both (a picture as far as the farther of the two).")
    var algorithm = HashIndex.similarAlgorithm

    @Flag(name: .customLong("other-families"), help: "Leave out the task's own family (its upscales and variations).")
    var otherFamilies = false

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard (picture == nil) != (image == nil) else { throw ValidationError("give a task or --image FILE.png") }
      if let picture { _ = try Self.parse(picture) }
      guard image == nil || !otherFamilies else { throw ValidationError("--other-families needs a task") }
      guard (0...64).contains(maxDistance) else { throw ValidationError("--max-distance must be between 0 and 64") }
      guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    /// `TASK` or `TASK:N` as a task id and a part (0 for the whole picture).
    static func parse(_ picture: String) throws -> (taskId: String, part: Int) {
      let pieces = picture.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard pieces.count <= 2 else { throw ValidationError("a picture is TASK or TASK:N, with N 1–4") }
      try Validation.taskID(pieces[0])
      guard pieces.count == 2 else { return (pieces[0], 0) }
      guard let part = Int(pieces[1]), (1...4).contains(part) else {
        throw ValidationError("a quadrant is 1–4, as in TASK:2")
      }
      return (pieces[0], part)
    }

    func run() throws {
      let store = try archive.openForReading()
      let query: ImageHashes
      var ownName: String?
      var family: Set<String> = []
      if let picture {
        let (taskId, part) = try Self.parse(picture)
        query = try reportingStoreErrors { () throws(StoreError) in try store.hashes(ofTask: taskId, part: part) }
        ownName = part == 0 ? taskId : "\(taskId):\(part)"
        if otherFamilies {
          family = Set(
            try reportingStoreErrors { () throws(StoreError) in try store.family(of: taskId) }.nodes.map(\.id))
        }
      } else {
        let path = image ?? ""
        query = ImageHashes(sample: try CommandFailure.reporting { try Thumbnailer().sample(of: path) })
      }
      let found = try reportingStoreErrors { () throws(StoreError) in
        try store.similarImages(
          to: query, by: algorithm, maxDistance: maxDistance, limit: limit, except: Set([ownName].compactMap { $0 }),
          exceptTasks: family)
      }
      let prompts = try reportingStoreErrors { () throws(StoreError) in try store.prompts(of: found.map(\.image.taskId))
      }
      if output.json {
        for match in found {
          Console.out(match.json(by: algorithm, prompt: prompts[match.image.taskId]).serialized())
        }
        return
      }
      if found.isEmpty {
        Console.err("no picture within \(maxDistance) bits")
        return
      }
      for match in found {
        Console.out(SimilarImageLine.text(match, by: algorithm, prompt: prompts[match.image.taskId]))
      }
    }
  }
}
