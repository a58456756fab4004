import ArchiveStore
import ArgumentParser
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive duplicates` command.
  struct Duplicates: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Groups of near-identical pictures across the archive, largest first.",
      discussion: """
        One picture stored under two tasks, rerolls that converged, an upscale and the quadrant it came from: \\
        pictures whose perceptual hashes differ in at most --max-distance of 64 bits are grouped (each near \\
        another in its group). Each group lists its pictures by distance from its first. Flat pictures are left out.
        """)

    @Option(name: .customLong("max-distance"), help: "Most bits that may differ between neighbours (0–16).")
    var maxDistance = HashIndex.duplicateDistance

    @Option(help: "Most groups to show (1–100000).")
    var limit = 100

    @Option(help: "The hash that decides: phash, dhash or both (near by both).")
    var algorithm = HashIndex.duplicateAlgorithm

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard (0...16).contains(maxDistance) else { throw ValidationError("--max-distance must be between 0 and 16") }
      guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000") }
    }

    func run() throws {
      let store = try archive.openForReading()
      let images = try reportingStoreErrors { () throws(StoreError) in try store.hashedImages() }
      let groups = HashIndex(images).duplicateGroups(by: algorithm, maxDistance: maxDistance).prefix(limit)
      let prompts = try reportingStoreErrors { () throws(StoreError) in
        try store.prompts(of: groups.flatMap { $0.members.map(\.image.taskId) })
      }
      if output.json {
        for group in groups {
          var object = JSONObject()
          object["size"] = .integer(Int64(group.members.count))
          object["pictures"] = .array(
            group.members.map { $0.json(by: algorithm, prompt: prompts[$0.image.taskId]) })
          Console.out(JSONValue.object(object).serialized())
        }
        return
      }
      if groups.isEmpty {
        Console.err("no two pictures within \(maxDistance) bits")
        return
      }
      for (number, group) in groups.enumerated() {
        if number > 0 { Console.out("") }
        Console.out("\(group.members.count) pictures")
        for match in group.members {
          Console.out(SimilarImageLine.text(match, by: algorithm, prompt: prompts[match.image.taskId]))
        }
      }
    }
  }
}
