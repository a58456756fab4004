extension SyncEngine {
  /// Where images go and where CPU work runs, shared by a run's workers.
  struct ImageHandling: Sendable {
    let files: ArchiveFiles
    let cpu: CPUWorkQueue
  }
}
