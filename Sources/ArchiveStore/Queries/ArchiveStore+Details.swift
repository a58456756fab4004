import Foundation
import GRDB
import MidjourneyAPI

/// One task in full, with its parent, children and root from the stored edges.
extension ArchiveStore {
  /// Everything about one task.
  ///
  /// - Throws: `StoreError.taskNotFound` when the id is neither stored nor known.
  public func details(id: String) throws(StoreError) -> TaskDetails {
    let found = try read { db -> TaskDetails? in
      let row = try Row.fetchOne(db, sql: "SELECT * FROM tasks WHERE id = ?", arguments: [id])
      let known = try Row.fetchOne(db, sql: "SELECT source FROM known_tasks WHERE id = ?", arguments: [id])
      guard row != nil || known != nil else { return nil }
      let task = (row?["raw_json"] as Data?).flatMap { try? GatewayTask(raw: $0) }
      let images = try Row.fetchAll(
        db, sql: "SELECT kind, part, path, width, height FROM images WHERE task_id = ? ORDER BY kind, part",
        arguments: [id]
      ).map {
        TaskDetails.StoredImage(
          kind: $0["kind"], part: $0["part"], path: $0["path"], width: $0["width"], height: $0["height"])
      }
      let links = try Self.links(of: id, in: db)
      let seed = try String.fetchOne(db, sql: "SELECT seed FROM image_seeds WHERE task_id = ?", arguments: [id])
      return TaskDetails(
        id: id, task: task, parameters: task.map { PromptParameters(parsing: $0.finalPrompt ?? $0.prompt ?? "") },
        seed: seed, knownFrom: known?["source"], firstSeen: row?["first_seen"], lastFetched: row?["last_fetched"],
        images: images,
        parent: links.parent, children: links.children, rootId: links.rootId)
    }
    guard let found else { throw StoreError.taskNotFound(id: id) }
    return found
  }
}
