/// What one sync run did, as recorded in `sync_runs`.
public struct SyncRunCounts: Sendable, Equatable {
  public var tasksFetched = 0
  public var tasksChanged = 0
  public var imagesDownloaded = 0
  public var bytesDownloaded = 0
  public var failed = 0
  public var requests = 0

  public init() {}
}
