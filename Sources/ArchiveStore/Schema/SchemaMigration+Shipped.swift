extension SchemaMigration {
  /// Every migration shipped, in order: `shipped[0]` takes version 1 to 2, and so on.
  ///
  /// Frozen: each is the literal SQL it ran when it shipped, with no constant or function of today's
  /// code, so every archive takes the same path to the same schema. Derived data a migration could not
  /// make in SQL is rebuilt afterwards by `ArchiveStore.rebuildDerivedData`, today's `reindex`.
  /// A new schema version appends to `sideTablesAndViews` and changes the top-level `schema.sql` to match.
  static let shipped: [SchemaMigration] = recordsAndLineage + sideTablesAndViews
}
