import ArgumentParser
import Logging
import Sync

/// How a sync works, shared by `sync` and `listen`: its pace, its thumbnails, its image host and its log.
struct SyncRunOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Requests to the gateway's API in flight at once (1–32).")
  var concurrency = 4

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Most API requests started per second, to be polite to the gateway (0: no cap); image downloads are not "
        + "counted."))
  var rate: Double = 10

  @Option(
    parsing: .unconditional,
    help: "Image downloads in flight at once, beside the API requests (1–64); each backs off on 429 and 503.")
  var downloadConcurrency = 8

  @Option(help: "Thumbnail sizes (longest edge), e.g. 256,512.")
  var thumbs = "256"

  @Option(help: "Fetch Discord CDN image links from this host instead (an image proxy), e.g. img.example.com.")
  var imageHost: String?

  @Option(help: "Append one line per event to this file (rotated at 5 MB to FILE.1); never holds the key.")
  var logFile: String?

  func validate() throws {
    guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 32") }
    guard (1...64).contains(downloadConcurrency) else {
      throw ValidationError("--download-concurrency must be between 1 and 64")
    }
    guard rate == 0 || (0.1...1_000).contains(rate) else {
      throw ValidationError("--rate must be 0 (no cap) or 0.1 to 1000")
    }
    _ = try Validation.thumbnailEdges(thumbs)
  }

  /// Sets the pace, thumbnails, image host and download timeout (`timeout` seconds: an image's answer must begin
  /// within it; its whole download gets a second per 16 KiB on top).
  func apply(to options: inout SyncOptions, timeout: Int) throws {
    options.concurrency = concurrency
    options.requestsPerSecond = rate
    options.downloadConcurrency = downloadConcurrency
    options.thumbnailEdges = try Validation.thumbnailEdges(thumbs)
    options.imageHost = imageHost
    options.downloadTimeout = .seconds(timeout)
  }

  /// The run's logger: to `--log-file`, else nowhere.
  func logger(label: String) throws -> Logger {
    guard let logFile else { return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() }) }
    do {
      let handler = try FileLogHandler(path: logFile)
      return Logger(label: label, factory: { _ in handler })
    } catch {
      Console.err("mjarchive: \(error.description)")
      throw ExitCode(2)
    }
  }
}
