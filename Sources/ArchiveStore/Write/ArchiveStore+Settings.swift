import GRDB

extension ArchiveStore {
  /// The archive's settings whose names start with `prefix` (`images.`), by name.
  public func settings(prefix: String) throws(StoreError) -> [String: String] {
    try read { db in
      // A reader opens an archive of an older version as it is, without the table.
      guard try db.tableExists("settings") else { return [:] }
      let rows = try Row.fetchAll(
        db, sql: "SELECT name, value FROM settings WHERE substr(name, 1, ?) = ?", arguments: [prefix.count, prefix])
      return Dictionary(rows.map { ($0["name"] as String, $0["value"] as String) }, uniquingKeysWith: { $1 })
    }
  }

  /// Replaces the settings whose names start with `prefix` by `values`, in one transaction.
  public func replaceSettings(prefix: String, with values: [String: String]) throws(StoreError) {
    try write { db in
      try db.execute(sql: "DELETE FROM settings WHERE substr(name, 1, ?) = ?", arguments: [prefix.count, prefix])
      for (name, value) in values.sorted(by: { $0.key < $1.key }) {
        try db.execute(sql: "INSERT INTO settings (name, value) VALUES (?, ?)", arguments: [name, value])
      }
    }
  }

  /// The images sync downloads, as remembered (`.all` when never set, or set to a value this build does not know).
  public func imageSelection() throws(StoreError) -> ImageSelection {
    try settings(prefix: ImageSelection.settingName)[ImageSelection.settingName].flatMap(ImageSelection.init) ?? .all
  }

  /// Remembers the images sync downloads from now on.
  public func rememberImageSelection(_ selection: ImageSelection) throws(StoreError) {
    try replaceSettings(
      prefix: ImageSelection.settingName,
      with: selection == .all ? [:] : [ImageSelection.settingName: selection.rawValue])
  }

  /// The settings row of `sync --since`: the earliest submit time taken from the gateway's list.
  public static let discoverSinceSetting = "sync.discover-since"

  /// The earliest submit time (unix milliseconds) sync takes from the gateway's list, as remembered.
  public func discoverSince() throws(StoreError) -> Int64? {
    try settings(prefix: Self.discoverSinceSetting)[Self.discoverSinceSetting].flatMap { Int64($0) }
  }

  /// Remembers the earliest submit time sync takes from the gateway's list; nil takes every task again.
  public func rememberDiscoverSince(_ milliseconds: Int64?) throws(StoreError) {
    try replaceSettings(
      prefix: Self.discoverSinceSetting, with: milliseconds.map { [Self.discoverSinceSetting: String($0)] } ?? [:])
  }

  /// The settings row of `sync --no-quadrants`.
  public static let quadrantsSetting = "sync.quadrants"

  /// True unless the archive keeps grids whole, with thumbnails of the whole grid (`sync --no-quadrants`).
  public func makesQuadrants() throws(StoreError) -> Bool {
    try settings(prefix: Self.quadrantsSetting)[Self.quadrantsSetting] != "off"
  }

  /// Remembers whether sync splits grids into quadrants from now on.
  public func rememberMakesQuadrants(_ makes: Bool) throws(StoreError) {
    try replaceSettings(prefix: Self.quadrantsSetting, with: makes ? [:] : [Self.quadrantsSetting: "off"])
  }
}
