import GRDB

extension ArchiveStore {
  /// The settings row that says the gateway has no image-seed route (so it is not asked again).
  public static let seedRouteAbsentSetting = "gateway.image-seed-absent"
  /// The settings row that says `sync` asks for seeds (`sync --seeds`, remembered for cron).
  public static let seedsSetting = "sync.seeds"

  /// Finished grids whose seed was never recorded, newest first.
  public func gridsWithoutSeed() throws(StoreError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT t.id FROM tasks t
          WHERE t.status = 'SUCCESS' AND coalesce(t.image_url, '') <> ''
            AND (\(Self.isGridSQL(task: "t.id", action: "t.action")))
            AND NOT EXISTS (SELECT 1 FROM image_seeds s WHERE s.task_id = t.id)
          ORDER BY t.seq DESC
          """)
    }
  }

  /// Records a grid's seed as the gateway said it; nil when the gateway has none for it (it is not asked again).
  public func recordSeed(_ seed: String?, taskId: String) throws(StoreError) {
    let now = Self.nowMilliseconds()
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO image_seeds (task_id, seed, recorded_at) VALUES (?, ?, ?)
          ON CONFLICT (task_id) DO UPDATE SET seed = excluded.seed, recorded_at = excluded.recorded_at
          """, arguments: [taskId, seed, now])
    }
  }

  /// The recorded seed of a task's picture (nil when none is recorded, or the archive predates seeds).
  public func seed(of taskId: String) throws(StoreError) -> String? {
    try read { db in
      guard try db.tableExists("image_seeds") else { return nil }
      return try String.fetchOne(db, sql: "SELECT seed FROM image_seeds WHERE task_id = ?", arguments: [taskId])
    }
  }

  /// True when `sync` asks for seeds, as remembered (`sync --seeds`).
  public func asksForSeeds() throws(StoreError) -> Bool {
    try settings(prefix: Self.seedsSetting)[Self.seedsSetting] == "on"
  }

  /// Remembers whether `sync` asks for seeds from now on; asking again also forgets that the gateway lacked the
  /// route (it may have been upgraded).
  public func rememberAsksForSeeds(_ asks: Bool) throws(StoreError) {
    try replaceSettings(prefix: Self.seedsSetting, with: asks ? [Self.seedsSetting: "on"] : [:])
    if asks { try replaceSettings(prefix: Self.seedRouteAbsentSetting, with: [:]) }
  }
}
