import ArchiveStore

/// The family trees of the exported tasks, from every stored lineage edge.
///
/// It knows each task's root, tree parent and children, and whether a quadrant was upscaled. Built once in memory
/// so no page needs a query of its own.
struct FamilyForest: Sendable {
  private var links: [String: LineageLink] = [:]
  private(set) var children: [String: [String]] = [:]
  private var roots: [String: String] = [:]

  init(links: [LineageLink], order: [String: Int64]) {
    for link in links { self.links[link.childId] = link }
    for link in links {
      guard let parent = link.treeParentId, parent != link.childId else { continue }
      children[parent, default: []].append(link.childId)
    }
    // Oldest first, by the store's sequence where known (tasks outside the export go last, by id).
    for (parent, list) in children {
      children[parent] = list.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }
    }
    findRoots()
  }

  /// The link that made `id`, if stored.
  func link(of id: String) -> LineageLink? {
    links[id]
  }

  /// The tree parent of `id`.
  func parent(of id: String) -> String? {
    links[id]?.treeParentId
  }

  /// The root of `id`'s family.
  func root(of id: String) -> String {
    roots[id] ?? id
  }

  /// Walks up from each child once, memoising roots; a loop written by another tool ends at the first task seen twice.
  private mutating func findRoots() {
    for start in links.keys where roots[start] == nil {
      var path = [start]
      var seen: Set<String> = [start]
      var current = start
      while let parent = links[current]?.treeParentId, !seen.contains(parent) {
        if let known = roots[parent] {
          current = known
          break
        }
        path.append(parent)
        seen.insert(parent)
        current = parent
      }
      for member in path { roots[member] = current }
    }
  }

  /// The family under `root` in preorder with depths, without recursion (a 10,000-deep chain cannot overflow).
  func tree(under root: String) -> [(id: String, depth: Int)] {
    var nodes: [(id: String, depth: Int)] = []
    var stack: [(String, Int)] = [(root, 0)]
    var seen: Set<String> = []
    while let (id, depth) = stack.popLast() {
      guard seen.insert(id).inserted else { continue }
      nodes.append((id, depth))
      for child in (children[id] ?? []).reversed() { stack.append((child, depth + 1)) }
    }
    return nodes
  }

  /// The quadrants of `grid` that were upscaled, with the upscale's id (the first one when pressed twice).
  func upscales(of grid: String) -> [Int: String] {
    var found: [Int: String] = [:]
    for child in children[grid] ?? [] {
      guard let link = links[child], link.madeFromId == grid, let step = link.step, step.kind == "upsample",
        let index = step.index, found[index] == nil
      else { continue }
      found[index] = child
    }
    return found
  }
}
