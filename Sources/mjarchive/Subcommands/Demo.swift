import ArchiveStore
import ArgumentParser
import Basics
import FileExport
import Foundation
import Gallery
import GatewayHTTP
import Listen
import MidjourneyAPI
import Simulator
import Sync

extension MJArchive {
  /// `mjarchive demo`: the whole flow against the built-in simulator, no key needed.
  struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Run imagines, U2, V1 and a zoom, sync and listen, against the built-in simulator; search, trace the family, find by picture, export a gallery and files."
    )

    @Option(help: "Seconds each simulated task takes.")
    var taskSeconds: Double = 2

    @Option(help: "Grid size: square (2048²), wide (2912×1632), small (256²) or WxH.")
    var imageSize: String = "square"

    @Option(help: "Folder for the demo archive and images (default: a new temporary folder).")
    var out: String?

    func validate() throws {
      guard SimulatedImageSize(parsing: imageSize) != nil else {
        throw ValidationError("--image-size must be square, wide, small or WIDTHxHEIGHT (2–8192)")
      }
      guard taskSeconds >= 0, taskSeconds <= 60 else { throw ValidationError("--task-seconds must be 0 to 60") }
    }

    func run() async throws {
      let folder =
        out.map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent(
          "mjarchive-demo-\(UUID().uuidString.prefix(8))")
      let store = try reportingStoreErrors { () throws(StoreError) in try ArchiveStore(directory: folder) }
      let key = "sk-demo-" + UUID().uuidString
      let gateway = SimulatorGateway(
        configuration: SimulatorConfiguration(
          apiKey: key, taskSeconds: taskSeconds, imageSize: SimulatedImageSize(parsing: imageSize) ?? .square))
      let server = try await SimulatorServer.start(gateway: gateway)
      let transport = AsyncHTTPClientTransport()
      var failure: (any Error)?
      do {
        let configuration = try GatewayConfiguration(baseURL: server.baseURL, apiKey: key, mode: .fast)
        let client = GatewayClient(configuration: configuration, transport: transport)
        try await runFlow(client: client, transport: transport, store: store, folder: folder, server: server)
      } catch {
        failure = error
      }
      await transport.shutdown()
      await server.stop()
      if let failure {
        Console.err("mjarchive: demo failed: \(String(describing: failure).singleLine(limit: 500))")
        throw ExitCode((failure as? GatewayError)?.exitCode ?? 1)
      }
    }

    private func runFlow(
      client: GatewayClient, transport: AsyncHTTPClientTransport, store: ArchiveStore, folder: URL,
      server: SimulatorServer
    ) async throws {
      let reporter = SubmitReporter(client: client, store: store)
      Console.out("mjarchive demo: a built-in gateway simulator is listening on \(server.baseURL)")
      Console.out("archive: \(folder.path)")
      Console.out("")
      let prompts = [
        "a red fox in fresh snow, golden hour --ar 1:1 --v 6.1 --seed 1234",
        "an owl on a mossy branch at dusk --ar 1:1",
      ]
      Console.out("1. imagine two prompts")
      var grids: [GatewayTask] = []
      for result in try await submitAll(prompts.map { (SubmitRequest.imagine(prompt: $0), nil) }, reporter: reporter) {
        grids.append(try await follow(result, reporter: reporter))
      }
      let fox = grids[0]

      Console.out("")
      let upscaleButton = try ButtonSelector.resolve("U2", in: fox.buttons)
      let variationButton = try ButtonSelector.resolve("V1", in: fox.buttons)
      Console.out("2. press U2 (upscale) and V1 (variation) on the fox grid \(fox.id)")
      let children = try await submitAll(
        [
          (try .action(taskId: fox.id, customId: upscaleButton.customId), (fox.id, upscaleButton.customId)),
          (try .action(taskId: fox.id, customId: variationButton.customId), (fox.id, variationButton.customId)),
        ], reporter: reporter)
      let upscale = try await follow(children[0], reporter: reporter)
      _ = try await follow(children[1], reporter: reporter)

      Console.out("")
      let zoomButton = try ButtonSelector.resolve("Zoom Out 2x", in: upscale.buttons)
      Console.out("3. press Zoom Out 2x on the upscale \(upscale.id)")
      let zoomed = try await submitAll(
        [(try .action(taskId: upscale.id, customId: zoomButton.customId), (upscale.id, zoomButton.customId))],
        reporter: reporter)
      _ = try await follow(zoomed[0], reporter: reporter)

      Console.out("")
      Console.out("4. sync: download every image, split each grid into U1–U4, make thumbnails")
      let report = try await SyncEngine(client: client, transport: transport, store: store).run()
      Console.out(
        "   \(report.counts.imagesDownloaded) images, \(report.counts.bytesDownloaded) bytes, \(report.counts.failed) failed"
      )
      for file in try store.details(id: fox.id).images + (try store.details(id: upscale.id).images)
      where file.kind != "thumbnail" {
        Console.out("   \(folder.appendingPathComponent(file.path).path)")
      }
      Console.out("   … and the rest under \(folder.appendingPathComponent("images").path)")

      Console.out("")
      Console.out("5. listen: the fox's prompt and seed again; the gateway calls back, and the task is home at once")
      try await showCallback(
        prompt: prompts[0], client: client, transport: transport, store: store, reporter: reporter)

      Console.out("")
      Console.out("6. search the archive for \"fox\"")
      for hit in try store.search(SearchQuery(text: "fox")) {
        Console.out("   \(hit.id)  \(hit.action ?? "?")  \(Search.renderSnippet(hit.snippet, color: false))")
      }
      Console.out("")
      Console.out("7. the fox's family tree, from the imagine to the zoom")
      let family = try reportingStoreErrors { () throws(StoreError) in try store.family(of: upscale.id) }
      for line in FamilyTreeText.tree(family).split(separator: "\n").dropFirst() {
        Console.out("   \(line)")
      }
      Console.out("")
      Console.out("8. find by picture: the pictures nearest the upscale (bits of 64 that differ)")
      let (pictures, upscaleHashes) = try reportingStoreErrors { () throws(StoreError) in
        (HashIndex(try store.hashedImages()), try store.hashes(ofTask: upscale.id, part: 0))
      }
      let near = pictures.nearest(
        to: upscaleHashes, by: HashIndex.similarAlgorithm, maxDistance: HashIndex.similarDistance, limit: 3
      ) { [images = pictures.images, upscaleId = upscale.id] in images[$0].name == upscaleId }
      let nearPrompts = try reportingStoreErrors { () throws(StoreError) in
        try store.prompts(of: near.map(\.image.taskId))
      }
      for match in near {
        Console.out(
          "   " + SimilarImageLine.text(match, by: HashIndex.similarAlgorithm, prompt: nearPrompts[match.image.taskId]))
      }
      let groups = pictures.duplicateGroups(by: HashIndex.duplicateAlgorithm, maxDistance: HashIndex.duplicateDistance)
      Console.out(
        "   and \(groups.count) groups of near-identical pictures (the fox made twice with one seed), the largest of "
          + "\(groups.first?.members.count ?? 0): `mjarchive duplicates` lists them")
      Console.out("")
      Console.out("9. export a static gallery (opens from disk, searchable offline)")
      var options = GalleryOptions()
      options.title = "mjarchive demo"
      let gallery = try GalleryExporter(store: store, options: options).export(
        to: folder.appendingPathComponent("gallery"))
      Console.out("   \(gallery.tasks) tasks, \(gallery.pagesWritten) pages and assets")
      Console.out("")
      Console.out("10. export the pictures into year/month folders, each PNG with its prompt inside")
      let files = folder.appendingPathComponent("files")
      let exported = try await FileExporter(
        store: store, destination: files, options: FileExportOptions(layout: try FileLayout())
      ).run()
      Console.out("   \(exported.withMetadata) pictures under \(files.path) (exiftool shows their prompts)")
      Console.out("")
      Console.out("Try: mjarchive search fox --archive \(folder.path)")
      Console.out("     mjarchive show \(upscale.id) --archive \(folder.path)")
      Console.out("     mjarchive lineage \(upscale.id) --archive \(folder.path)")
      Console.out("     mjarchive similar \(upscale.id) --archive \(folder.path)")
      Console.out("     mjarchive duplicates --archive \(folder.path)")
      Console.out("     mjarchive export-gallery ~/mj-gallery --archive \(folder.path)")
      Console.out("     mjarchive export-files ~/Pictures/Midjourney --kind all --archive \(folder.path)")
      Console.out(
        "Against a real gateway: export MJ_BASE_URL=… MJ_API_KEY=…, then `mjarchive imagine \"…\" --wait` and `mjarchive sync`."
      )
      Console.out("")
      Console.out("The gallery, to open in a browser: \(gallery.indexPath)")
    }

    /// Runs `listen` in this process, submits `prompt` with callbacks to it, and shows the task arriving.
    private func showCallback(
      prompt: String, client: GatewayClient, transport: AsyncHTTPClientTransport, store: ArchiveStore,
      reporter: SubmitReporter
    ) async throws {
      var configuration = ListenConfiguration()
      configuration.port = 0
      configuration.syncEvery = nil
      let token = try HookToken.archiveToken(in: store.directory)
      let listener = Listener(
        engine: SyncEngine(client: client, transport: transport, store: store), token: token,
        configuration: configuration)
      let port = Locked<Int?>(nil)
      let running = Task {
        try await listener.run { event in
          if case .listening(let bound) = event { port.withLock { $0 = bound } }
        }
      }
      defer { running.cancel() }
      var bound: Int?
      for _ in 0..<400 where bound == nil {
        try await Task.sleep(for: .milliseconds(25))
        bound = port.withLock { $0 }
      }
      guard let bound else { throw ExitCode.failure }
      Console.out("   listening on http://127.0.0.1:\(bound)/hook/… (the token is kept in the archive's listen.token)")
      var hooked = reporter
      hooked.notifyHook = "http://127.0.0.1:\(bound)\(token.path)"
      let twin = try await submitAll([(.imagine(prompt: prompt), nil)], reporter: hooked)[0]
      let deadline = ContinuousClock.now + .seconds(120)
      while ContinuousClock.now < deadline,
        !(try store.details(id: twin.taskId).images.contains { $0.kind == "original" })
      {
        try await Task.sleep(for: .milliseconds(20))
      }
      let task = try store.details(id: twin.taskId).task
      let late = task?.finishTime.map { Double(Int64(Date().timeIntervalSince1970 * 1000) - $0) / 1000 }
      // Stopped first: its pass ends and adds its counts to the archive as it stops.
      running.cancel()
      try await running.value
      let callbacks = try store.stats().callbacks
      Console.out(
        "   task \(twin.taskId) \(task?.status?.rawValue ?? "?"): original and quadrants home "
          + (late.map { String(format: "%.1f s", max(0, $0)) } ?? "?") + " after the gateway finished it, with no sync")
      Console.out(
        "   callbacks: \(callbacks.received) received, \(callbacks.coalesced) coalesced, "
          + "\(callbacks.fetched) task fetched")
    }

    /// Sends each submit (recorded first), printing what the gateway said.
    private func submitAll(
      _ requests: [(SubmitRequest, (id: String, customId: String)?)], reporter: SubmitReporter
    ) async throws -> [SubmitResult] {
      var results: [SubmitResult] = []
      for (request, parent) in requests {
        let result = try await reporter.send(request, parent: parent)
        Console.out("   \(request.route): task \(result.taskId) (\(result.outcome))")
        results.append(result)
      }
      return results
    }

    /// Waits for a submitted task and prints a few lines about it.
    private func follow(_ result: SubmitResult, reporter: SubmitReporter) async throws -> GatewayTask {
      let task = try await reporter.follow(taskId: result.taskId)
      printIndented(task)
      return task
    }

    private func printIndented(_ task: GatewayTask) {
      Console.out("   \(task.action?.rawValue ?? "?") \(task.status?.rawValue ?? "?") after \(elapsed(task))")
      if let url = task.imageUrl, !url.isEmpty { Console.out("   image:   \(url)") }
      if let parent = task.parentId { Console.out("   parent:  \(parent)") }
      if !task.buttons.isEmpty {
        Console.out("   buttons: " + task.buttons.map(ButtonSelector.shortName).joined(separator: " · "))
      }
    }

    private func elapsed(_ task: GatewayTask) -> String {
      guard let start = task.submitTime, let end = task.finishTime, end >= start else { return "?" }
      return String(format: "%.1f s", Double(end - start) / 1000)
    }
  }
}
