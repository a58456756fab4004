import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import Listen
import MidjourneyAPI
import Sync

extension MJArchive {
  /// The `mjarchive listen` command.
  struct ListenCommand: GatewayCommand {
    static let configuration = CommandConfiguration(
      commandName: "listen",
      abstract: "Receive the gateway's callbacks (notifyHook) and bring each finished task home as it finishes.",
      discussion: """
        Listens for POST /hook/<token> (the token is made once and kept in the archive's listen.token; \
        `--print-url` says the whole address to give the gateway, per submit or in its global notify-hook \
        setting). A callback only names a task: the task is fetched from the gateway, stored and its images \
        downloaded and split as `sync` does. A whole sync runs at start and every --sync-every, for callbacks \
        the gateway never sent. The archive's lock is held only while a pass runs (passes overlap, up to 4), \
        so `sync` from cron still runs between them. \
        Submit commands pass the address on their own once `listen` has run here. SIGTERM or Ctrl-C stops it \
        after the items in flight.
        """)

    @Option(help: "Address to listen on (0.0.0.0 for every interface; callbacks carry your tasks' prompts).")
    var bind = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free one).")
    var port = 8787

    @Option(help: "A whole sync this often, for callbacks never sent (5s to 24h, like 15m; `off`: only at start).")
    var syncEvery = "15m"

    @Option(help: "How long a task's fetch waits after a callback that does not say it finished (1s to 24h).")
    var quietPeriod = "20s"

    @Option(help: "Read the hook token from this file instead of the archive's listen.token.")
    var tokenFile: String?

    @Option(help: "The address the gateway reaches this machine at, like http://192.168.1.5:8787 (default: --bind).")
    var publicURL: String?

    @Flag(help: "Print the callback URL to give the gateway, and exit.")
    var printURL = false

    @OptionGroup var syncRun: SyncRunOptions
    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var imageStore: ImageStoreOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
      if syncEvery != "off" { _ = try Validation.duration(syncEvery, option: "--sync-every", minimum: 5) }
      _ = try Validation.duration(quietPeriod, option: "--quiet-period", minimum: 1)
      if let publicURL, ListenAddress.checkedBase(publicURL) == nil {
        throw ValidationError("--public-url must be http:// or https:// with a host and port, and no path")
      }
    }

    func run() async throws {
      let store = try archive.open(pageCacheMegabytes: 8)
      let token: HookToken
      do throws(ListenError) {
        if let tokenFile {
          token = try HookToken.read(file: tokenFile)
        } else {
          token = try HookToken.archiveToken(in: store.directory)
        }
      } catch {
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      let host = bind.contains(":") ? "[\(bind)]" : bind
      let base = publicURL.flatMap(ListenAddress.checkedBase) ?? "http://\(host):\(port)"
      try reportingStoreErrors { () throws(StoreError) in try ListenAddress.remember(base, in: store) }
      if printURL {
        Console.out(base + token.path)
        return
      }
      var configuration = ListenConfiguration()
      configuration.host = bind
      configuration.port = port
      configuration.syncEvery =
        syncEvery == "off" ? nil : try Validation.duration(syncEvery, option: "--sync-every", minimum: 5)
      configuration.quietPeriod = try Validation.duration(quietPeriod, option: "--quiet-period", minimum: 1)
      var options = SyncOptions()
      try syncRun.apply(to: &options, timeout: gateway.timeout)
      try reportingStoreErrors { () throws(StoreError) in try options.adoptSettings(of: store) }
      let logger = try syncRun.logger(label: "mjarchive.listen")
      var failure: ListenError?
      try await withSyncConnection(store: store, imageStore: imageStore, options: options) {
        client, transport, options throws(GatewayError) in
        let engine = SyncEngine(client: client, transport: transport, store: store, options: options, logger: logger)
        let listener = Listener(engine: engine, token: token, configuration: configuration)
        let line = ListenStatusLine()
        let work = Task { () async -> ListenError? in
          do throws(ListenError) {
            try await listener.run { line.show($0) }
            return nil
          } catch {
            return error
          }
        }
        let trap = SignalTrap { work.cancel() }
        failure = await work.value
        withExtendedLifetime(trap) {}
        line.finish()
      }
      if let failure {
        Console.err("mjarchive: \(failure.description)")
        throw ExitCode(failure.exitCode)
      }
    }
  }
}
