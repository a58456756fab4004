import GRDB

extension ArchiveStore {
  /// Every original and quadrant with both perceptual hashes, for a `HashIndex`.
  public func hashedImages() throws(StoreError) -> [HashedImage] {
    try read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT i.task_id, i.kind, i.part, i.path, i.sha256, p.hash AS phash, d.hash AS dhash
          FROM images i
          JOIN image_hashes p ON p.sha256 = i.sha256 AND p.algorithm = ?
          JOIN image_hashes d ON d.sha256 = i.sha256 AND d.algorithm = ?
          WHERE i.kind IN ('original', 'quadrant') AND i.edge = 0
          ORDER BY i.task_id, i.part
          """, arguments: [ImageHashes.pHashName, ImageHashes.dHashName])
      var images: [HashedImage] = []
      while let row = try rows.next() {
        images.append(
          HashedImage(
            taskId: row[0], kind: row[1], part: row[2], path: row[3], sha256: row[4],
            hashes: ImageHashes(
              dHash: UInt64(bitPattern: row[6] as Int64), pHash: UInt64(bitPattern: row[5] as Int64))))
      }
      return images
    }
  }

  /// Which image rows are PNG originals and quadrants whose content has no hashes yet (made before hashes were
  /// kept, or not decodable).
  private static let withoutHashes = """
    FROM images i
    WHERE i.kind IN ('original', 'quadrant') AND i.edge = 0 AND i.format = 'PNG'
      AND NOT EXISTS (SELECT 1 FROM image_hashes h WHERE h.sha256 = i.sha256 AND h.algorithm = ?)
    """

  /// Originals and quadrants whose content has no hashes yet, for `reindex --hashes`: each content once, as
  /// `(sha256, path)`.
  public func imagesWithoutHashes() throws(StoreError) -> [(sha256: String, path: String)] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT i.sha256, min(i.path) \(Self.withoutHashes) GROUP BY i.sha256 ORDER BY min(i.path)",
        arguments: [ImageHashes.pHashName]
      ).map { (sha256: $0[0], path: $0[1]) }
    }
  }

  /// How many contents `imagesWithoutHashes` would list, counted in SQLite (for `verify`, which only tells it).
  public func unhashedImageCount() throws(StoreError) -> Int {
    try read { db in
      try Int.fetchOne(
        db, sql: "SELECT count(DISTINCT i.sha256) \(Self.withoutHashes)", arguments: [ImageHashes.pHashName]) ?? 0
    }
  }

  /// Keeps hashes by file content, outside any file's row (a picture made before hashes were kept).
  public func recordHashes(_ hashes: [String: ImageHashes]) throws(StoreError) {
    try write { db in try Self.insert(hashes, db) }
  }

  /// Inserts `hashes` (by content); a content hashed already keeps its rows: a hash of the same bytes is the same.
  static func insert(_ hashes: [String: ImageHashes], _ db: Database) throws {
    for (sha256, pair) in hashes {
      for (algorithm, hash) in [(ImageHashes.pHashName, pair.pHash), (ImageHashes.dHashName, pair.dHash)] {
        try db.execute(
          sql: "INSERT INTO image_hashes (sha256, algorithm, hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          arguments: [sha256, algorithm, Int64(bitPattern: hash)])
      }
    }
  }
}

extension ArchiveStore {
  /// The hashes of a task's picture: its whole picture (`part` 0) or quadrant `part`.
  ///
  /// - Throws: `StoreError.taskNotFound` for a task the archive does not know, `.notHashed` when that picture has
  ///   no hashes.
  public func hashes(ofTask taskId: String, part: Int) throws(StoreError) -> ImageHashes {
    let name = part == 0 ? taskId : "\(taskId):\(part)"
    let found = try read { db -> (known: Bool, hashes: ImageHashes?) in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tasks WHERE id = ?", arguments: [taskId]) != nil else {
        return (false, nil)
      }
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT p.hash, d.hash FROM images i
          JOIN image_hashes p ON p.sha256 = i.sha256 AND p.algorithm = ?
          JOIN image_hashes d ON d.sha256 = i.sha256 AND d.algorithm = ?
          WHERE i.task_id = ? AND i.part = ? AND i.edge = 0 AND i.kind IN ('original', 'quadrant')
          """, arguments: [ImageHashes.pHashName, ImageHashes.dHashName, taskId, part])
      return (
        true,
        row.map {
          ImageHashes(dHash: UInt64(bitPattern: $0[1] as Int64), pHash: UInt64(bitPattern: $0[0] as Int64))
        }
      )
    }
    guard found.known else { throw .taskNotFound(id: taskId) }
    guard let hashes = found.hashes else { throw .notHashed(name: name) }
    return hashes
  }

  /// The prompt of each task in `ids` that has one.
  public func prompts(of ids: [String]) throws(StoreError) -> [String: String] {
    try read { db in
      var prompts: [String: String] = [:]
      for id in Set(ids) {
        if let prompt = try String.fetchOne(db, sql: "SELECT prompt FROM tasks WHERE id = ?", arguments: [id]) {
          prompts[id] = prompt
        }
      }
      return prompts
    }
  }
}

extension ArchiveStore {
  /// The archive's pictures nearest `query` (see `HashIndex.nearest`), with `except` (pictures by name, `TASK` or
  /// `TASK:N`) and every picture of `exceptTasks` left out.
  public func similarImages(
    to query: ImageHashes, by algorithm: HashAlgorithm, maxDistance: Int, limit: Int, except: Set<String> = [],
    exceptTasks: Set<String> = []
  ) throws(StoreError) -> [SimilarImage] {
    let images = try hashedImages()
    return HashIndex(images).nearest(to: query, by: algorithm, maxDistance: maxDistance, limit: limit) {
      except.contains(images[$0].name) || exceptTasks.contains(images[$0].taskId)
    }
  }
}
