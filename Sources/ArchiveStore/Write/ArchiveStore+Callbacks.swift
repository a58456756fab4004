import GRDB

/// What `listen` keeps of its callbacks: counts in `archive_counts` (kind `callbacks`), which `reindex` leaves as
/// they are, since no table holds them to count again.
extension ArchiveStore {
  /// Adds what a `listen` pass counted to the archive's callback counts.
  public func addCallbackCounts(_ counts: CallbackCounts) throws(StoreError) {
    guard counts != CallbackCounts() else { return }
    try write { db in
      for (name, value) in counts.named where value != 0 {
        try db.execute(
          sql: """
            INSERT INTO archive_counts VALUES ('callbacks', ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n
            """, arguments: [name, value])
      }
    }
  }
}
