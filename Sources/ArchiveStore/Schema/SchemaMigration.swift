/// One step of the archive's schema, from `version - 1` to `version`.
struct SchemaMigration: Sendable {
  /// The `PRAGMA user_version` the step leaves.
  let version: Int
  /// Whether columns it adds are derived from each task's JSON by Swift code, so the archive's derived
  /// data must be rebuilt (`ArchiveStore.rebuildDerivedData`) once every step has run.
  let rebuildsDerivedData: Bool
  /// The SQL, exactly as it shipped.
  let sql: String
}
