extension HashIndex {
  /// Groups of pictures each within `maxDistance` of another in its group by `algorithm` (a chain may reach
  /// further), largest first; pictures near no other, and flat ones, are in none.
  public func duplicateGroups(by algorithm: HashAlgorithm, maxDistance: Int) -> [DuplicateGroup] {
    let pairs = nearPairs(by: algorithm, maxDistance: maxDistance)
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
        members: [measured[0]] + measured.dropFirst().sorted { $0.isNearer(than: $1, by: algorithm) })
    }
    return groups.sorted { first, second in
      first.members.count != second.members.count
        ? first.members.count > second.members.count : first.members[0].image.name < second.members[0].image.name
    }
  }

  /// For each picture near another (by index in `images`), every picture within `maxDistance` of it by
  /// `algorithm`, nearest first; flat pictures neither have nor are neighbours.
  public func neighbours(by algorithm: HashAlgorithm, maxDistance: Int) -> [Int: [SimilarImage]] {
    var found: [Int: [SimilarImage]] = [:]
    for (first, second) in nearPairs(by: algorithm, maxDistance: maxDistance) {
      let (a, b) = (images[first].hashes, images[second].hashes)
      let (p, d) = ((a.pHash ^ b.pHash).nonzeroBitCount, (a.dHash ^ b.dHash).nonzeroBitCount)
      found[first, default: []].append(SimilarImage(image: images[second], pHashDistance: p, dHashDistance: d))
      found[second, default: []].append(SimilarImage(image: images[first], pHashDistance: p, dHashDistance: d))
    }
    return found.mapValues { $0.sorted { $0.isNearer(than: $1, by: algorithm) } }
  }

  /// Each pair of pictures within `maxDistance` by `algorithm` (with both, by each hash), neither flat.
  private func nearPairs(by algorithm: HashAlgorithm, maxDistance: Int) -> [(Int, Int)] {
    let usesP = algorithm != .dhash
    let usesD = algorithm != .phash
    let primary = images.map { usesP ? $0.hashes.pHash : $0.hashes.dHash }
    return HashPairs(primary, maxDistance: maxDistance).pairs { index in
      let hashes = images[index].hashes
      return !(usesP && Self.isFlat(hashes.pHash)) && !(usesD && Self.isFlat(hashes.dHash))
    }.filter { first, second in
      // With both, the second hash must agree too.
      algorithm != .both
        || (images[first].hashes.dHash ^ images[second].hashes.dHash).nonzeroBitCount <= maxDistance
    }
  }
}
