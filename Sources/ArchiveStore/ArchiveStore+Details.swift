import Foundation
import GRDB
import MidjourneyAPI

/// One task in full, with its nearest relatives.
extension ArchiveStore {
  /// Everything about one task.
  ///
  /// - Throws: `StoreError.taskNotFound` when the id is neither stored nor known.
  public func details(id: String) throws(StoreError) -> TaskDetails {
    let found = try read { db -> TaskDetails? in
      let row = try Row.fetchOne(db, sql: "SELECT * FROM tasks WHERE id = ?", arguments: [id])
      let known = try Row.fetchOne(db, sql: "SELECT source, parent_id, custom_id FROM known_tasks WHERE id = ?", arguments: [id])
      guard row != nil || known != nil else { return nil }
      let task = (row?["raw_json"] as Data?).flatMap { try? GatewayTask(raw: $0) }
      let images = try Row.fetchAll(
        db, sql: "SELECT kind, part, path, width, height FROM images WHERE task_id = ? ORDER BY kind, part", arguments: [id]
      ).map { TaskDetails.StoredImage(kind: $0["kind"], part: $0["part"], path: $0["path"], width: $0["width"], height: $0["height"]) }
      return TaskDetails(
        id: id, task: task, parameters: task.map { PromptParameters(parsing: $0.finalPrompt ?? $0.prompt ?? "") },
        knownFrom: known?["source"], firstSeen: row?["first_seen"], lastFetched: row?["last_fetched"], images: images,
        parent: try Self.parent(of: id, row: row, known: known, in: db),
        children: try Self.children(of: id, row: row, in: db))
    }
    guard let found else { throw StoreError.taskNotFound(id: id) }
    return found
  }

  /// The parent by the strongest evidence at hand.
  private static func parent(of id: String, row: Row?, known: Row?, in db: Database) throws -> (id: String, evidence: String)? {
    if let parent: String = known?["parent_id"] { return (parent, "submitted") }
    if let parent: String = row?["parent_id"] { return (parent, "parentId") }
    if let referenced: String = row?["referenced_message_id"],
      let parent = try String.fetchOne(db, sql: "SELECT id FROM tasks WHERE message_id = ? AND id != ?", arguments: [referenced, id])
    {
      return (parent, "referencedMessage")
    }
    if let customId: String = row?["parent_custom_id"], let hash = jobHash(in: customId),
      let parent = try String.fetchOne(db, sql: "SELECT id FROM tasks WHERE message_hash = ? AND id != ?", arguments: [hash, id])
    {
      return (parent, "hash")
    }
    return nil
  }

  private static func children(of id: String, row: Row?, in db: Database) throws -> [String] {
    let messageId: String? = row?["message_id"]
    let hash: String? = row?["message_hash"]
    let ids = try String.fetchAll(
      db,
      sql: """
        SELECT id FROM known_tasks WHERE parent_id = :id
        UNION SELECT id FROM tasks WHERE parent_id = :id
        UNION SELECT id FROM tasks WHERE :message IS NOT NULL AND referenced_message_id = :message
        UNION SELECT id FROM tasks WHERE :hash IS NOT NULL AND instr(parent_custom_id, :hash) > 0
        """,
      arguments: ["id": id, "message": messageId, "hash": hash])
    return ids.filter { $0 != id }.sorted()
  }

  /// The job hash (a UUID) inside a customId such as `MJ::JOB::upsample::2::<hash>::SOLO`.
  static func jobHash(in customId: String) -> String? {
    customId.components(separatedBy: "::").first { part in
      part.count == 36 && part.filter { $0 == "-" }.count == 4 && part.allSatisfy { $0.isHexDigit || $0 == "-" }
    }
  }
}
