import ArchiveStore
import ArgumentParser
import Foundation
import Gallery
import MidjourneyAPI
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
        the bucket keeps the gallery's manifest beside index.html. When the archive keeps its images in a bucket, \
        a gallery published into that same bucket links to them where they are; anywhere else they are copied \
        (read from the local cache or the bucket, checked by SHA-256). With --image-base-url, pages link to the \
        images at that address instead (a CDN in front of the archive's images) and none are copied.
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
        "A folder whose index/task/family/head/tile/link.mustache, gallery.css, gallery.js or search.js replace the built-in ones."
    )
    var templates: String?

    @Flag(help: "Copy images instead of hard-linking them.")
    var copy = false

    @Option(help: "Tiles per index page (1–10000).")
    var pageSize = 200

    @Option(
      help: ArgumentHelp(
        "Link images at this address (a CDN or public bucket serving the archive's originals/, quadrants/ and "
          + "thumbs/) instead of putting them in the gallery."))
    var imageBaseUrl: String?

    @OptionGroup var server: S3ServerOptions

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !folder.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("the gallery folder must be a path")
      }
      guard (1...10_000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 10000") }
      if let family, family.isEmpty { throw ValidationError("--family needs a task id") }
      if let imageBaseUrl {
        do {
          _ = try GalleryImageSource.imageBaseURL(imageBaseUrl)
        } catch {
          throw ValidationError(error.description)
        }
      }
    }

    func run() async throws {
      // One pass over the archive: a small page cache keeps the process small.
      let store = try archive.openForReading(pageCacheMegabytes: 8)
      let imagesBucket = try CommandFailure.reporting { try BucketSettings.remembered(in: store) }
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
      let line = StageProgressLine(command: "export-gallery")
      // A gallery of a bucket archive goes to the archive's server unless told otherwise.
      let bucket = try folder.hasPrefix("s3://") ? server.settings(for: folder, remembered: imagesBucket) : nil
      options.images = try imageSource(imagesBucket: imagesBucket, gallery: bucket)
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
      let outcome: (fetched: Int, published: GalleryPublishReport?)
      do {
        outcome = try await withTransport { transport in
          let read = try reader(imagesBucket, for: report.imagesToFetch, transport: transport)
          guard let bucket else {
            return (try await GalleryImageFetcher().fetch(report.imagesToFetch, into: target, read: read).files, nil)
          }
          let client = S3Client(
            endpoint: bucket.endpoint, bucket: bucket.location.bucket,
            credentials: try server.credentials.credentials(), transport: transport)
          let published = try await GalleryPublisher(client: client, location: bucket.location).publish(
            target, fetching: report.imagesToFetch, read: read, progress: line.draw)
          return (0, published)
        }
      } catch {
        line.finish()
        throw CommandFailure(error).reported()
      }
      line.finish()
      Self.print(report, fetched: outcome.fetched, published: outcome.published)
    }

    /// Where the pages find the images: the address given; beside the gallery when it goes into the bucket that
    /// keeps the archive's images; copied into it from that bucket; or, for an archive keeping its own, linked.
    private func imageSource(imagesBucket: BucketSettings?, gallery: BucketSettings?) throws -> GalleryImageSource {
      if let imagesBucket, let gallery, imagesBucket.imageFoldersContain(gallery.location) {
        throw ValidationError(
          "\(gallery.location) lies in the folders the archive keeps its images in; publish the gallery beside them")
      }
      if let imageBaseUrl {
        return try CommandFailure.reporting { try GalleryImageSource.imageBaseURL(imageBaseUrl) }
      }
      guard let imagesBucket else { return .archiveFolder }
      if let gallery, gallery.isSameBucket(as: imagesBucket) {
        return .sameBucket(imagesPrefix: imagesBucket.location.prefix, galleryPrefix: gallery.location.prefix)
      }
      return .fetched
    }

    /// Reads an image of a bucket archive for the gallery: from the local cache when it holds it, else the bucket
    /// (whose credentials are asked for only when `images` needs it).
    private func reader(_ imagesBucket: BucketSettings?, for images: [GalleryImageFetch], transport: any HTTPTransport)
      throws -> @Sendable (GalleryImageFetch) async throws -> Data
    {
      guard let imagesBucket, !images.isEmpty else {
        return { _ in throw GalleryError.badOption("no bucket holds this archive's images") }
      }
      let read = try server.credentials.store(imagesBucket, transport: transport).reader(cachedIn: archive.directory)
      return { image in try await read(image.archivePath, image.sha256, image.bytes) }
    }

    /// The summary lines, then the index path on its own line so scripts can take the last line.
    static func print(_ report: GalleryReport, fetched: Int = 0, published: GalleryPublishReport? = nil) {
      var images = "\(report.imagesLinked) linked, \(report.imagesCopied) copied, \(report.imagesUnchanged) unchanged"
      if report.imagesReferenced > 0 { images += ", \(report.imagesReferenced) referenced where they are" }
      if fetched > 0 { images += ", \(fetched) fetched from the bucket" }
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
