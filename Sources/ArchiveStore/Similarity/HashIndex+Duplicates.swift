extension HashIndex {
  /// Groups of pictures each within `maxDistance` of another in its group by `algorithm` (a chain may reach
  /// further), largest first; pictures near no other, and flat ones, are in none.
  public func duplicateGroups(by algorithm: HashAlgorithm, maxDistance: Int) -> [DuplicateGroup] {
    let usesP = algorithm != .dhash
    let usesD = algorithm != .phash
    let primary = images.map { usesP ? $0.hashes.pHash : $0.hashes.dHash }
    let pairs = HashPairs(primary, maxDistance: maxDistance).pairs { index in
      let hashes = images[index].hashes
      return !(usesP && Self.isFlat(hashes.pHash)) && !(usesD && Self.isFlat(hashes.dHash))
    }.filter { first, second in
      // With both, the second hash must agree too.
      algorithm != .both
        || (images[first].hashes.dHash ^ images[second].hashes.dHash).nonzeroBitCount <= maxDistance
    }
    var parent = Array(images.indices)
    func root(_ index: Int) -> Int {
      var index = index
      while parent[index] != index {
        parent[index] = parent[parent[index]]
        index = parent[index]
      }
      return index
    }
    for (first, second) in pairs {
      let (a, b) = (root(first), root(second))
      if a != b { parent[max(a, b)] = min(a, b) }
    }
    var members: [Int: [Int]] = [:]
    for (first, second) in pairs {
      members[root(first), default: []].append(first)
      members[root(first), default: []].append(second)
    }
    let groups = members.map { _, indices -> DuplicateGroup in
      let unique = Array(Set(indices)).sorted { images[$0].name < images[$1].name }
      let head = images[unique[0]].hashes
      let measured = unique.map { index in
        SimilarImage(
          image: images[index], pHashDistance: (images[index].hashes.pHash ^ head.pHash).nonzeroBitCount,
          dHashDistance: (images[index].hashes.dHash ^ head.dHash).nonzeroBitCount)
      }
      return DuplicateGroup(
        members: [measured[0]]
          + measured.dropFirst().sorted { first, second in
            let (a, b) = (first.distance(by: algorithm), second.distance(by: algorithm))
            return a != b ? a < b : first.image.name < second.image.name
          })
    }
    return groups.sorted { first, second in
      first.members.count != second.members.count
        ? first.members.count > second.members.count : first.members[0].image.name < second.members[0].image.name
    }
  }
}
