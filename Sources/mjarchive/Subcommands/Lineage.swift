import ArchiveStore
import ArgumentParser
import Foundation

extension MJArchive {
  /// The `mjarchive lineage <id>` command.
  struct Lineage: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The family tree around a task: its root imagine and every upscale, variation, zoom, pan and reroll.",
      discussion: """
        Links come from the strongest trace at hand: an action submitted here, the task's parentId, the message \
        it references, or the job hash in its customId. A reroll sits beside the grid it rerolled; the reroll of \
        a root starts a family of its own.
        """)

    @Argument(help: "Any task in the family.")
    var id: String

    @Flag(help: "Print the tree as nested JSON objects.")
    var json = false

    @Flag(help: "Print the tree as a Graphviz graph (render with `dot -Tsvg`).")
    var dot = false

    @Flag(help: "Also list every trace behind each link, and bad data found in the family.")
    var explain = false

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      try Validation.taskID(id)
      guard !(json && dot) else { throw ValidationError("choose one of --json and --dot") }
    }

    func run() throws {
      let store = try archive.openForReading()
      let family = try reportingStoreErrors { () throws(StoreError) in try store.family(of: id) }
      let evidence =
        explain
        ? try reportingStoreErrors { () throws(StoreError) in try store.evidence(for: family.nodes.map(\.id)) } : []
      if json {
        Console.out(FamilyTreeText.json(family, evidence: explain ? evidence : nil))
      } else if dot {
        Console.out(bytes: Data(FamilyTreeText.dot(family).utf8))
      } else {
        let explanation = explain ? FamilyTreeText.explanation(family, evidence: evidence) : ""
        Console.out(bytes: Data((FamilyTreeText.tree(family) + explanation).utf8))
      }
    }
  }
}
