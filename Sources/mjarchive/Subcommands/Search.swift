import ArchiveStore
import ArgumentParser
import Basics
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

    @OptionGroup var filters: SearchFilterOptions

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
    }

    func run() throws {
      let store = try archive.openForReading()
      let hits = try reportingStoreErrors { () throws(StoreError) -> [SearchHit] in
        var search = SearchQuery(text: query)
        try filters.apply(to: &search)
        search.limit = limit
        search.sort = SearchQuery.Sort(rawValue: sort) ?? .newest
        search.oneHitPerFamily = roots
        return try store.search(search)
      }
      if output.json {
        for hit in hits { Console.out(hit.json(withFamilyHits: roots).serialized()) }
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
  }
}
