import GRDB

/// The archive's change counter: how many times what a gallery shows has changed (`archive_counts`, kind `changes`).
///
/// Triggers count updates and deletions, and every change to files, seeds and picture hashes; the store counts the
/// tasks it inserts and the lineage derived with them, once per batch, as a per-row insert trigger costs import time.
extension ArchiveStore {
  /// The change counter: equal values mean nothing a gallery shows changed in between (0 before schema 12's triggers).
  ///
  /// - Throws: `StoreError.database` when the archive cannot be read.
  public func changeCount() throws(StoreError) -> Int64 {
    try read { db in
      try Int64.fetchOne(db, sql: "SELECT n FROM archive_counts WHERE kind = 'changes' AND key = ''") ?? 0
    }
  }

  /// Counts one change made by the store itself, in its transaction.
  static func countChange(in db: Database) throws {
    try db.cachedStatement(sql: "UPDATE archive_counts SET n = n + 1 WHERE kind = 'changes' AND key = ''").execute()
  }
}
