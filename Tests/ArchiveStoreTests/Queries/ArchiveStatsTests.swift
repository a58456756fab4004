import Foundation
import GRDB
import MidjourneyAPI
import Testing

@testable import ArchiveStore

/// `stats` reads counts kept by triggers (schema 4); after every kind of change they must equal a full count.
@Suite struct ArchiveStatsTests {
  /// The counts `stats` shows, found by scanning every table as schema 3 did.
  private func scanned(_ archive: TemporaryArchive) throws -> [String] {
    let lines = [
      "SELECT 'tasks', count(*) FROM tasks",
      "SELECT 'action ' || coalesce(action, '?'), count(*) FROM tasks GROUP BY 1",
      "SELECT 'status ' || coalesce(status, '?'), count(*) FROM tasks GROUP BY 1",
      "SELECT 'unfetched', count(*) FROM known_tasks k WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = k.id)",
      """
      SELECT 'without images', count(*) FROM tasks t WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> ''
        AND NOT EXISTS (SELECT 1 FROM images i WHERE i.task_id = t.id AND i.kind = 'original')
      """,
      "SELECT 'image bytes', coalesce(sum(b), 0) FROM (SELECT max(bytes) AS b FROM images GROUP BY path)",
    ]
    return try lines.flatMap { sql in try archive.rows(sql).map { "\($0[0] as String) \($0[1] as Int)" } }.sorted()
  }

  /// The same counts as `stats` gives them.
  private func kept(_ archive: TemporaryArchive) throws -> [String] {
    let stats = try archive.store.stats()
    let bytes = try archive.rows("SELECT n FROM archive_counts WHERE kind = 'image_bytes'").first?[0] as Int? ?? -1
    return
      ([
        "tasks \(stats.tasks)", "unfetched \(stats.unfetched)", "without images \(stats.withoutImages)",
        "image bytes \(bytes)",
      ]
      + stats.byAction.map { "action \($0.0) \($0.1)" } + stats.byStatus.map { "status \($0.0) \($0.1)" }).sorted()
  }

  private func file(_ kind: StoredFile.Kind, part: Int = 0, edge: Int = 0, path: String, sha: String, bytes: Int)
    -> StoredFile
  {
    StoredFile(kind: kind, part: part, edge: edge, path: path, sha256: sha, format: "PNG", bytes: bytes)
  }

  @Test func keptCountsMatchAFullCountAfterEveryKindOfChange() throws {
    let archive = try TemporaryArchive()
    let store = archive.store
    var steps: [(String, () throws -> Void)] = []
    steps.append(("track", { try store.track(["1", "2", "3"]) }))
    steps.append(
      (
        "store",
        {
          try store.store([
            try TemporaryArchive.task(id: "1", prompt: "red fox"),
            try TemporaryArchive.task(id: "4", prompt: "blue owl", status: "IN_PROGRESS"),
            try TemporaryArchive.task(id: "5", prompt: "grey wolf", action: "UPSCALE"),
          ])
        }
      ))
    steps.append(("finish", { try store.store(try TemporaryArchive.task(id: "4", prompt: "blue owl")) }))
    steps.append(
      (
        "files",
        {
          try store.recordFiles(
            [
              file(.original, path: "images/originals/aa/a.png", sha: "a", bytes: 100),
              file(.quadrant, part: 1, path: "images/quadrants/1-1.png", sha: "q", bytes: 10),
            ], taskId: "1", split: .split)
          // The same picture as task 1's original: one file, counted once.
          try store.recordFiles(
            [file(.original, path: "images/originals/aa/a.png", sha: "a", bytes: 100)], taskId: "4", split: .notSplit)
        }
      ))
    steps.append(
      (
        "re-recorded",
        {
          try store.recordFiles(
            [file(.quadrant, part: 1, path: "images/quadrants/1-1.png", sha: "q2", bytes: 12)], taskId: "1",
            split: .split)
        }
      ))
    steps.append(
      (
        "forgotten",
        {
          try store.forgetFiles(
            [file(.original, path: "images/originals/aa/a.png", sha: "a", bytes: 100)], taskId: "1", resplit: true)
        }
      ))
    steps.append(("reindex", { try store.reindex() }))
    steps.append(
      (
        "edited by another program",
        {
          let queue = try DatabaseQueue(path: store.databaseURL.path)
          try queue.write { db in
            try db.execute(sql: "DELETE FROM tasks WHERE id = '5'")
            try db.execute(sql: "UPDATE tasks SET status = 'FAILURE' WHERE id = '4'")
            try db.execute(sql: "DELETE FROM images WHERE task_id = '4'")
            try db.execute(sql: "DELETE FROM known_tasks WHERE id = '3'")
          }
          try queue.close()
        }
      ))
    // Tasks another program inserts are counted, like indexed, by reindex.
    steps.append(
      (
        "inserted by another program, then reindexed",
        {
          let queue = try DatabaseQueue(path: store.databaseURL.path)
          try queue.write { db in
            try db.execute(
              sql: """
                INSERT INTO tasks (seq, id, action, status, image_url, cjk_terms, raw_json, first_seen, last_fetched)
                VALUES (1, '2', 'IMAGINE', 'SUCCESS', 'https://x/2.png', '', '{}', 1, 1)
                """)
          }
          try queue.close()
          try store.reindex()
        }
      ))
    #expect(try kept(archive) == scanned(archive))
    for (name, step) in steps {
      try step()
      #expect(try kept(archive) == scanned(archive), "after \(name)")
    }
    #expect(try store.stats().tasks == 3)
  }

  @Test func anArchiveFromSchemaThreeGetsItsCountsOnTheWayUp() throws {
    let (folder, database) = try TemporaryArchive.olderArchive(version: 3)
    defer { try? FileManager.default.removeItem(at: folder) }
    let queue = try DatabaseQueue(path: database)
    try queue.write { db in
      try db.execute(sql: "INSERT INTO known_tasks (id, source, added_at) VALUES ('7', 'track', 1), ('8', 'track', 1)")
    }
    try queue.close()
    let store = try ArchiveStore(directory: folder, create: false)
    try store.store(try TemporaryArchive.task(id: "7", prompt: "red fox"))
    let stats = try store.stats()
    #expect(stats.tasks == 1)
    #expect(stats.unfetched == 1)
    #expect(stats.withoutImages == 1)
    #expect(stats.byStatus.map(\.0) == ["SUCCESS"])
  }

  @Test func statsCountWhatIsThere() throws {
    let archive = try TemporaryArchive()
    for name in ["task-imagine-success.json", "task-upscale-success.json", "task-imagine-failure.json"] {
      try archive.store.store(try TemporaryArchive.sample(name))
    }
    try archive.store.track(["999", "1320098173412546"])
    let stats = try archive.store.stats()
    #expect(stats.tasks == 3)
    #expect(stats.unfetched == 1)
    #expect(stats.byAction.map(\.0) == ["IMAGINE", "UPSCALE"])
    #expect(stats.byAction.map(\.1) == [2, 1])
    #expect(stats.byStatus.map(\.0) == ["SUCCESS", "FAILURE"])
    #expect(stats.newestTaskId == "1320098173412777")
    #expect(stats.withoutImages == 2)
    #expect(stats.archiveBytes > 0)
    #expect(throws: StoreError.self) { try archive.store.track(["../x"]) }
  }
}
