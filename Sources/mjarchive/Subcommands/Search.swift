import ArchiveStore
import ArgumentParser
import Foundation
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive search <query> [filters]` command.
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Search prompts, final prompts, actions and descriptions (FTS5: \"phrases\", OR, NOT, prefix*).",
      discussion: "Chinese, Japanese and Korean words match inside longer text: 猫 finds 一只黑猫.")

    @Argument(help: "The query; leave it out to list by the filters alone.")
    var query: String = ""

    @Option(help: "Only this action, e.g. IMAGINE, UPSCALE, VARIATION.")
    var action: String?

    @Option(help: "Only this status, e.g. SUCCESS, FAILURE.")
    var status: String?

    @Option(help: "Aspect ratio, e.g. 16:9.")
    var ar: String?

    @Option(name: .customLong("mj-version"), help: "Midjourney version (--v), e.g. 6.1.")
    var mjVersion: String?

    @Option(help: "Niji version, e.g. 6.")
    var niji: String?

    @Option(help: "A style reference URL or code (matched inside --sref values).")
    var sref: String?

    @Option(help: "Seed.")
    var seed: String?

    @Option(help: "Submitted on or after this date (2026-03-01 or ISO 8601, UTC).")
    var since: String?

    @Option(help: "Submitted on or before this date.")
    var until: String?

    @Flag(help: "Only tasks whose image is downloaded.")
    var hasImage = false

    @Option(parsing: .unconditional, help: "Most results to show (1–100000).")
    var limit = 20

    @Option(help: "relevance, newest (made most recently, by submit time) or oldest.")
    var sort: String = "newest"

    @Flag(help: "One row per family: its root, the best hit in it and how many hits it holds.")
    var roots = false

    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard SearchQuery.Sort(rawValue: sort) != nil else {
        throw ValidationError("--sort must be relevance, newest or oldest")
      }
      guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000") }
      for (name, value) in [("--since", since), ("--until", until)] {
        guard let value else { continue }
        do {
          _ = try SearchQuery.milliseconds(from: value)
        } catch {
          throw ValidationError("\(name): \(error.description)")
        }
      }
    }

    func run() throws {
      let store = try archive.openForReading()
      let hits = try reportingStoreErrors { () throws(StoreError) -> [SearchHit] in
        var search = SearchQuery(text: query)
        search.action = action
        search.status = status
        search.aspectRatio = ar
        search.version = mjVersion
        search.niji = niji
        search.sref = sref
        search.seed = seed
        search.since = try since.map { (text: String) throws(StoreError) in try SearchQuery.milliseconds(from: text) }
        search.until = try until.map { (text: String) throws(StoreError) in
          try SearchQuery.milliseconds(from: text, endOfDay: true)
        }
        search.hasImage = hasImage
        search.limit = limit
        search.sort = SearchQuery.Sort(rawValue: sort) ?? .newest
        search.oneHitPerFamily = roots
        return try store.search(search)
      }
      if output.json {
        for hit in hits { Console.out(jsonObject(hit).serialized()) }
        return
      }
      if hits.isEmpty {
        Console.err("no tasks match")
        return
      }
      let color = isatty(STDOUT_FILENO) == 1
      for hit in hits {
        let date = hit.submitTime.map(DateText.utc) ?? "—"
        let family = hit.familyHits == 1 ? "1 hit " : "\(hit.familyHits) hits"
        var columns = roots ? ["root \(hit.rootId)", "\(family) e.g. \(hit.id)", date] : [hit.id, date]
        columns += [(hit.action ?? "?").padding(toLength: 9, withPad: " ", startingAt: 0)]
        columns.append(Self.renderSnippet(hit.snippet.isEmpty ? (hit.prompt ?? "") : hit.snippet, color: color))
        if let path = hit.imagePath { columns.append(path.singleLine(limit: 200)) }
        Console.out(columns.joined(separator: "  "))
      }
    }

    /// One line of prompt with matches in bold on a terminal; control characters never reach the terminal.
    static func renderSnippet(_ snippet: String, color: Bool) -> String {
      let line = snippet.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
      let safe = line.singleLine(limit: 100)
      let start = String(SearchHit.highlightStart)
      let end = String(SearchHit.highlightEnd)
      return safe.replacingOccurrences(of: start, with: color ? "\u{1B}[1;33m" : "")
        .replacingOccurrences(of: end, with: color ? "\u{1B}[0m" : "")
    }

    func jsonObject(_ hit: SearchHit) -> JSONValue {
      var object = JSONObject()
      object["id"] = .string(hit.id)
      object["action"] = hit.action.map(JSONValue.string) ?? .null
      object["status"] = hit.status.map(JSONValue.string) ?? .null
      object["progress"] = hit.progress.map(JSONValue.string) ?? .null
      object["prompt"] = hit.prompt.map(JSONValue.string) ?? .null
      object["promptEn"] = hit.promptEn.map(JSONValue.string) ?? .null
      object["finalPrompt"] = hit.finalPrompt.map(JSONValue.string) ?? .null
      object["submitTime"] = hit.submitTime.map(JSONValue.integer) ?? .null
      object["finishTime"] = hit.finishTime.map(JSONValue.integer) ?? .null
      object["imageUrl"] = hit.imageUrl.map(JSONValue.string) ?? .null
      object["messageHash"] = hit.messageHash.map(JSONValue.string) ?? .null
      object["parentId"] = hit.parentId.map(JSONValue.string) ?? .null
      object["rootId"] = .string(hit.rootId)
      object["imagePath"] = hit.imagePath.map(JSONValue.string) ?? .null
      if roots { object["familyHits"] = .integer(Int64(hit.familyHits)) }
      var parameters = JSONObject()
      for key in hit.parameters.keys.sorted() { parameters[key] = .string(hit.parameters[key] ?? "") }
      object["parameters"] = .object(parameters)
      return .object(object)
    }
  }
}
