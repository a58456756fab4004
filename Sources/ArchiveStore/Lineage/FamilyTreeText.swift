import Basics
import Foundation
import MidjourneyAPI

/// How `lineage` prints a family: an indented tree, nested JSON, or a Graphviz graph.
public enum FamilyTreeText {
  /// Deeper levels are shown by number rather than by indentation, so a long chain stays readable.
  public static let indentLimit = 24

  /// The indented tree, one line per task, the asked-about task marked.
  public static func tree(_ family: FamilyTree) -> String {
    let last = lastAmongSiblings(family.nodes)
    var text = "family of \(family.rootId): \(family.nodes.count) task\(family.nodes.count == 1 ? "" : "s")\n"
    // indents[d]: what goes before the branch of a node at depth d, built once per level as the walk descends.
    var indents = [""]
    // By index: a node is a dozen strings, and copying each one out of the array costs more than the printing.
    let nodes = family.nodes
    for offset in nodes.indices {
      let depth = nodes[offset].depth
      var prefix = ""
      if depth > 0 {
        let level = min(depth, indentLimit)
        prefix = indents[min(level - 1, indents.count - 1)]
        if depth > indentLimit { prefix += "⋯[\(depth)] " }
        prefix += last[offset] ? "└── " : "├── "
      }
      if depth < indentLimit, !nodes[offset].childIds.isEmpty {
        let own = depth == 0 ? "" : indents[min(depth - 1, indents.count - 1)] + (last[offset] ? "    " : "│   ")
        if indents.count > depth { indents.removeSubrange(depth...) }
        indents.append(own)
      }
      var columns: [String] = []
      if let button = nodes[offset].buttonText { columns.append(button.singleLine(limit: 24)) }
      columns.append(nodes[offset].id)
      if nodes[offset].isStored {
        columns += [
          nodes[offset].action ?? "?", nodes[offset].status ?? "?", (nodes[offset].prompt ?? "").singleLine(limit: 48),
        ]
        if let path = nodes[offset].imagePath { columns.append(path.singleLine(limit: 200)) }
      } else {
        columns.append("(not in the archive)")
      }
      text += prefix + columns.joined(separator: "  ") + (nodes[offset].id == family.focusId ? "  ◀" : "") + "\n"
    }
    if let from = family.rerolledFrom { text += "rerolled from \(from) (mjarchive lineage \(from))\n" }
    if !family.rerolledInto.isEmpty {
      text += "rerolled into families of their own: \(family.rerolledInto.joined(separator: " "))\n"
    }
    if let trace = family.unresolvedParent {
      text += "\(family.rootId) was made from a task that is not in the archive (\(trace.singleLine(limit: 80)))\n"
    }
    for problem in family.problems { text += "problem: \(problem)\n" }
    return text
  }

  /// Every trace behind each link: which one the tree uses and which it does not.
  public static func explanation(_ family: FamilyTree, evidence: [EdgeEvidence]) -> String {
    guard !evidence.isEmpty else { return "evidence: none (no task in this family has a parent)\n" }
    var text = "evidence (strongest first):\n"
    for item in evidence {
      let step = item.step.map { " \($0.label)" } ?? ""
      let custom = item.customId.map { " \($0.singleLine(limit: 120))" } ?? ""
      let verdict =
        item.childId == item.parentId
        ? "ignored: names itself" : item.rejected.map { "not used: \($0)" } ?? (item.isUsed ? "used" : "not used")
      text += "  \(item.childId) ← \(item.parentId)  by \(item.evidence)\(step)\(custom)  [\(verdict)]\n"
    }
    return text
  }

  /// Nested objects (`id`, `action`, `button`, `kind`, `index`, `status`, `prompt`, `children`, …) under `tree`.
  ///
  /// Written without recursion, so a chain thousands deep cannot exhaust the stack.
  public static func json(_ family: FamilyTree, evidence: [EdgeEvidence]?) -> String {
    var head = JSONObject()
    head["rootId"] = .string(family.rootId)
    head["focusId"] = .string(family.focusId)
    head["path"] = .array(family.path.map(JSONValue.string))
    head["rerolledFrom"] = family.rerolledFrom.map(JSONValue.string) ?? .null
    head["rerolledInto"] = .array(family.rerolledInto.map(JSONValue.string))
    head["unresolvedParent"] = family.unresolvedParent.map(JSONValue.string) ?? .null
    head["problems"] = .array(family.problems.map { .string($0.description) })
    if let evidence { head["evidence"] = .array(evidence.map(json)) }
    var text = JSONValue.object(head).serialized()
    text.removeLast()  // the closing brace: `tree` follows
    text += ",\"tree\":"
    var previousDepth = -1
    let nodes = family.nodes
    for index in nodes.indices {
      let depth = nodes[index].depth
      if depth <= previousDepth {
        text += String(repeating: "]}", count: previousDepth - depth + 1) + ","
      }
      var object = JSONValue.object(fields(of: nodes[index], focus: family.focusId)).serialized()
      object.removeLast()  // the closing brace: `children` follows
      text += object + ",\"children\":["
      previousDepth = depth
    }
    text += String(repeating: "]}", count: previousDepth + 1)
    return text + (family.nodes.isEmpty ? "null}" : "}")
  }

  private static func fields(of node: LineageNode, focus: String) -> JSONObject {
    var object = JSONObject()
    object["id"] = .string(node.id)
    object["action"] = node.action.map(JSONValue.string) ?? .null
    object["button"] = node.buttonText.map(JSONValue.string) ?? .null
    object["kind"] = node.step.map { .string($0.kind) } ?? .null
    object["index"] = node.step?.index.map { .integer(Int64($0)) } ?? .null
    object["status"] = node.status.map(JSONValue.string) ?? .null
    object["prompt"] = node.prompt.map(JSONValue.string) ?? .null
    object["evidence"] = node.evidence.map { .string($0.description) } ?? .null
    if let madeFrom = node.madeFromId, madeFrom != node.parentId { object["madeFrom"] = .string(madeFrom) }
    object["customId"] = node.customId.map(JSONValue.string) ?? .null
    object["imagePath"] = node.imagePath.map(JSONValue.string) ?? .null
    object["stored"] = .bool(node.isStored)
    if node.id == focus { object["focus"] = .bool(true) }
    return object
  }

  private static func json(_ item: EdgeEvidence) -> JSONValue {
    var object = JSONObject()
    object["childId"] = .string(item.childId)
    object["parentId"] = .string(item.parentId)
    object["evidence"] = .string(item.evidence.description)
    object["kind"] = item.step.map { .string($0.kind) } ?? .null
    object["customId"] = item.customId.map(JSONValue.string) ?? .null
    object["used"] = .bool(item.isUsed)
    object["rejected"] = item.rejected.map(JSONValue.string) ?? .null
    return .object(object)
  }

  /// A Graphviz digraph: one box per task, one arrow per link labelled with the button; rerolls dashed.
  public static func dot(_ family: FamilyTree) -> String {
    var text = "digraph family {\n  graph [rankdir=TB];\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
    for node in family.nodes {
      let title = node.isStored ? "\(node.action ?? "?") \(node.id)" : "\(node.id) (not archived)"
      let prompt = (node.prompt ?? "").singleLine(limit: 40)
      let label = quoted(prompt.isEmpty ? title : "\(title)\n\(prompt)")
      let style = node.id == family.focusId ? ", penwidth=3" : node.isStored ? "" : ", style=dashed"
      text += "  \(quoted(node.id)) [label=\(label)\(style)];\n"
    }
    for node in family.nodes {
      guard let parent = node.parentId else { continue }
      let dashed = node.step?.kind == "reroll" ? ", style=dashed" : ""
      text += "  \(quoted(parent)) -> \(quoted(node.id)) [label=\(quoted(node.buttonText ?? ""))\(dashed)];\n"
    }
    return text + "}\n"
  }

  /// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`.
  static func quoted(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      default: escaped.append(character)
      }
    }
    return "\"\(escaped)\""
  }

  /// For each node in preorder: whether it is its parent's last child (the root counts as last).
  private static func lastAmongSiblings(_ nodes: [LineageNode]) -> [Bool] {
    var lastChildren = Set<String>()
    for index in nodes.indices {
      if let child = nodes[index].childIds.last { lastChildren.insert(child) }
    }
    return nodes.indices.map { nodes[$0].parentId == nil || lastChildren.contains(nodes[$0].id) }
  }
}
