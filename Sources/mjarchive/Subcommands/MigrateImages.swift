import ArchiveStore
import ArgumentParser
import Foundation
import GatewayHTTP
import ObjectStorage
import Sync

extension MJArchive {
  /// The `mjarchive migrate-images --to s3://BUCKET/PREFIX | --to-local` command.
  struct MigrateImages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "migrate-images",
      abstract: "Move the archive's images into a bucket (--to s3://BUCKET/PREFIX) or back into its folder.",
      discussion: """
        Every file is copied and confirmed before the archive switches: uploads are checked by the server \
        (Content-MD5 and the signed SHA-256) and listed once more; downloads are checked against the recorded \
        size and SHA-256. Only then does the archive remember the new place, and only after that does the \
        local folder let files go (down to --cache-size). Objects in a bucket are never deleted. An interrupted \
        run leaves the archive where it was; run it again to copy what is not there yet. Damaged or missing \
        local files stop the switch: run verify --repair first. Exit 0 moved (or nothing to move), 1 files \
        left behind, 2 usage, 3 the bucket refused the credentials, 4 a sync is running.
        """)

    @Option(help: "Move the images into this bucket: s3://BUCKET/PREFIX.")
    var to: String?

    @Flag(help: "Move the images from the archive's bucket back into its own images/ folder.")
    var toLocal = false

    @OptionGroup var server: S3ServerOptions

    @Option(help: "Most bytes of images the local cache keeps once they are in the bucket, e.g. 500M (default 1G).")
    var cacheSize: String?

    @Option(help: "Files in flight at once (1–64).")
    var concurrency = 8

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard (to != nil) != toLocal else { throw ValidationError("give either --to s3://BUCKET/PREFIX or --to-local") }
      if toLocal, server.isGiven || cacheSize != nil {
        throw ValidationError("--to-local uses the bucket the archive remembers: leave out --s3-… and --cache-size")
      }
      if let cacheSize { _ = try ImageStoreOptions.bytes(cacheSize) }
      guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
    }

    func run() async throws {
      // The rows are read once, in batches: a small page cache (and sorter) keeps it small at any archive size.
      let store = try archive.open(create: false, pageCacheMegabytes: 8)
      let lock: SyncLock
      do {
        lock = try SyncLock.acquire(in: store.directory)
      } catch .locked(let holder) {
        Console.err("mjarchive: a sync is running on this archive (\(holder)): move the images after it ends")
        throw ExitCode(4)
      } catch {
        throw CommandFailure(error).reported()
      }
      defer { withExtendedLifetime(lock) {} }
      try await withTransport { transport in try await migrate(store, transport: transport) }
    }

    private func migrate(_ store: ArchiveStore, transport: AsyncHTTPClientTransport) async throws {
      var migrator = ImageMigrator(store: store)
      migrator.concurrency = concurrency
      let line = SyncProgressLine(label: "migrate-images")
      let report: ImageMigrationReport
      let place: String
      do {
        let remembered = try BucketSettings.remembered(in: store)
        if let to {
          var settings = try server.settings(for: to, remembered: remembered)
          if let cacheSize { settings.cacheBytes = try ImageStoreOptions.bytes(cacheSize) }
          place = settings.location.description
          let bucket = try server.credentials.store(settings, transport: transport)
          report = try await migrator.moveToBucket(bucket, settings: settings) { line.draw($0) }
        } else {
          guard let remembered else {
            Console.out("the images are in the archive's folder already: nothing to move")
            return
          }
          place = remembered.location.description
          let bucket = try server.credentials.store(remembered, transport: transport)
          report = try await migrator.moveToFolder(from: bucket) { line.draw($0) }
        }
      } catch {
        line.finish()
        throw CommandFailure(error).reported()
      }
      line.finish()
      summarize(report, place: place)
      for failure in report.failures { Console.err("mjarchive: \(failure)") }
      if !report.failures.isEmpty { throw ExitCode.failure }
    }

    private func summarize(_ report: ImageMigrationReport, place: String) {
      let bytes = ByteCountFormatter.string(fromByteCount: report.bytesCopied, countStyle: .file)
      let copied = "\(report.copied) of \(report.files) files (\(bytes))"
      let direction = to != nil ? "uploaded to \(place)" : "downloaded from \(place)"
      var parts = ["\(copied) \(direction)", "\(report.alreadyThere) there already"]
      if report.switched {
        parts.append(
          to != nil ? "the archive keeps its images in \(place) now" : "the archive keeps its images in its folder now")
        if to != nil {
          parts.append("\(report.removedLocally) local copies let go beyond the cache")
        } else {
          parts.append("the objects stay in \(place): delete them with your S3 tool once you no longer need them")
        }
      } else {
        parts.append("\(report.failures.count) left (below): the archive stays where it was; run it again once mended")
      }
      Console.out(parts.joined(separator: "; "))
    }
  }
}
