import ArchiveStore

/// The "Similar" strip of every task page: pictures of other families in this gallery within `similar`'s default
/// distance of one of the task's own pictures by both hashes, nearest first, found once for the export.
struct SimilarStrips: Sendable {
  /// Most pictures a strip shows.
  static let length = 8
  static let algorithm = HashIndex.similarAlgorithm
  static let maxDistance = HashIndex.similarDistance

  /// Each task's strip, by id; tasks near nothing have none.
  let strips: [String: [SimilarImage]]

  init() { strips = [:] }

  /// Finds the strips of `exported` tasks among `pictures` (the archive's hashed pictures).
  ///
  /// A grid is its quadrants: its whole picture is neither shown nor searched for, or two copies of one grid
  /// would fill a strip with the grid and its four quadrants.
  init(pictures: [HashedImage], exported: Set<String>, forest: FamilyForest) {
    let split = Set(pictures.lazy.filter { $0.kind == "quadrant" }.map(\.taskId))
    let shown = pictures.filter { exported.contains($0.taskId) && !($0.part == 0 && split.contains($0.taskId)) }
    let neighbours = HashIndex(shown).neighbours(by: Self.algorithm, maxDistance: Self.maxDistance)
    var nearest: [String: [String: SimilarImage]] = [:]
    for (index, near) in neighbours {
      let taskId = shown[index].taskId
      let family = forest.root(of: taskId)
      for match in near where forest.root(of: match.image.taskId) != family {
        let name = match.image.name
        if let known = nearest[taskId]?[name], known.isNearer(than: match, by: Self.algorithm) { continue }
        nearest[taskId, default: [:]][name] = match
      }
    }
    strips = nearest.mapValues { byName in
      Array(byName.values.sorted { $0.isNearer(than: $1, by: Self.algorithm) }.prefix(Self.length))
    }
  }
}
