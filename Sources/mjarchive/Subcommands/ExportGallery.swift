import ArchiveStore
import ArgumentParser
import Foundation
import Gallery
import ObjectStorage
import Sync

extension MJArchive {
  /// The `mjarchive export-gallery <dir>` command.
  struct ExportGallery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export-gallery",
      abstract: "Write a static HTML gallery that opens from disk: index, task and family pages, offline search.",
      discussion: """
        A second export into the same folder rewrites only pages whose content changed and removes pages of tasks \
        no longer exported. Images are hard-linked from the archive (copied across filesystems, or with --copy). \
        Given s3://BUCKET/PREFIX instead of a folder, the gallery is made in the archive's published/ folder and \
        published into the bucket (the --s3-… options as for sync): only new and changed files are uploaded, with \
        their Content-Type and Cache-Control, and objects of files the gallery no longer has are deleted after; \
        the bucket keeps the gallery's manifest beside index.html.
        """)

    @Argument(
      help: "The gallery folder (created if missing; must be empty or an earlier gallery), or s3://BUCKET/PREFIX.")
    var folder: String

    @Option(help: "Export only the tasks this search matches (same syntax as `mjarchive search`).")
    var query: String?

    @Option(help: "Export only the family of this task.")
    var family: String?

    @OptionGroup var filters: SearchFilterOptions

    @Option(help: "The title on every page.")
    var title = "Midjourney archive"

    @Option(
      help:
        "A folder whose index/task/family/head/tile/link.mustache, gallery.css or gallery.js replace the built-in ones."
    )
    var templates: String?

    @Flag(help: "Copy images instead of hard-linking them.")
    var copy = false

    @Option(help: "Tiles per index page (1–10000).")
    var pageSize = 200

    @OptionGroup var server: S3ServerOptions

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !folder.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("the gallery folder must be a path")
      }
      guard (1...10_000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 10000") }
      if let family, family.isEmpty { throw ValidationError("--family needs a task id") }
    }

    func run() async throws {
      let store = try archive.openForReading()
      try BucketArchiveCheck.refuse(store, command: "export-gallery")
      var options = GalleryOptions()
      options.title = title
      options.familyOf = family
      options.copyImages = copy
      options.pageSize = pageSize
      options.templates = templates.map { URL(fileURLWithPath: $0) }
      if query != nil || filters.isSet {
        var search = SearchQuery(text: query ?? "")
        try reportingStoreErrors { () throws(StoreError) in try filters.apply(to: &search) }
        options.query = search
      }
      let line = GalleryProgressLine()
      let bucket = try folder.hasPrefix("s3://") ? server.settings(for: folder, remembered: nil) : nil
      let target =
        bucket.map { GalleryPublisher.stagingFolder(in: archive.directory, for: "\($0.endpoint) \($0.location)") }
        ?? URL(fileURLWithPath: folder)
      let report: GalleryReport
      do {
        report = try GalleryExporter(store: store, options: options).export(to: target, progress: line.draw)
      } catch {
        line.finish()
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      guard let bucket else {
        line.finish()
        Self.print(report)
        return
      }
      let published = try await publish(target, to: bucket, line: line)
      line.finish()
      Self.print(report, published: published)
    }

    private func publish(_ staged: URL, to settings: BucketSettings, line: GalleryProgressLine) async throws
      -> GalleryPublishReport
    {
      do {
        return try await withTransport { transport in
          let client = S3Client(
            endpoint: settings.endpoint, bucket: settings.location.bucket,
            credentials: try server.credentials.credentials(), transport: transport)
          return try await GalleryPublisher(client: client, location: settings.location).publish(
            staged, progress: line.draw)
        }
      } catch {
        line.finish()
        throw CommandFailure(error).reported()
      }
    }

    /// The summary lines, then the index path on its own line so scripts can take the last line.
    static func print(_ report: GalleryReport, published: GalleryPublishReport? = nil) {
      var images = "\(report.imagesLinked) linked, \(report.imagesCopied) copied, \(report.imagesUnchanged) unchanged"
      if report.thumbnailsMade > 0 { images += ", \(report.thumbnailsMade) thumbnails made" }
      if report.imagesMissing > 0 { images += ", \(report.imagesMissing) missing from the archive" }
      let tasks = report.tasks == 1 ? "1 task" : "\(report.tasks) tasks"
      Console.out(
        "\(tasks) · pages: \(report.pagesWritten) written, \(report.pagesUnchanged) unchanged, "
          + "\(report.filesRemoved) files removed · images: \(images)")
      guard let published else {
        Console.out(report.indexPath)
        return
      }
      let bytes = ByteCountFormatter.string(fromByteCount: published.bytesUploaded, countStyle: .file)
      Console.out(
        "published: \(published.uploaded) uploaded (\(bytes)), \(published.unchanged) unchanged, "
          + "\(published.deleted) deleted")
      Console.out(published.indexLocation)
    }
  }
}
