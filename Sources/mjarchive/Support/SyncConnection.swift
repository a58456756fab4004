import ArchiveStore
import GatewayHTTP
import MidjourneyAPI
import Sync

extension GatewayCommand {
  /// Like `withConnection`, with the archive's bucket (where it keeps its images in one) set in `options`.
  ///
  /// A bucket that cannot be settled (`--images`) is one line and its exit code, and `body` is not run.
  func withSyncConnection(
    store: ArchiveStore, imageStore: ImageStoreOptions, options: SyncOptions,
    _ body: (GatewayClient, AsyncHTTPClientTransport, SyncOptions) async throws(GatewayError) -> Void
  ) async throws {
    var settingFailure: CommandFailure?
    try await withConnection { client, transport throws(GatewayError) in
      var options = options
      do {
        options.bucket = try imageStore.bucket(for: store, transport: transport)
      } catch {
        settingFailure = CommandFailure(error)
        return
      }
      try await body(client, transport, options)
    }
    if let settingFailure { throw settingFailure.reported() }
  }
}
