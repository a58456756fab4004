import ArchiveStore
import ArgumentParser
import Foundation
import Gallery

extension MJArchive {
  /// The `mjarchive export-gallery <dir>` command.
  struct ExportGallery: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export-gallery",
      abstract: "Write a static HTML gallery that opens from disk: index, task and family pages, offline search.",
      discussion: """
        A second export into the same folder rewrites only pages whose content changed and removes pages of tasks \
        no longer exported. Images are hard-linked from the archive (copied across filesystems, or with --copy).
        """)

    @Argument(help: "The gallery folder (created if missing; must be empty or an earlier gallery).")
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

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !folder.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("the gallery folder must be a path")
      }
      guard (1...10_000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 10000") }
      if let family, family.isEmpty { throw ValidationError("--family needs a task id") }
    }

    func run() throws {
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
      let report: GalleryReport
      do {
        report = try GalleryExporter(store: store, options: options).export(
          to: URL(fileURLWithPath: folder), progress: line.draw)
      } catch {
        line.finish()
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
      line.finish()
      Self.print(report)
    }

    /// The summary lines, then the index path on its own line so scripts can take the last line.
    static func print(_ report: GalleryReport) {
      var images = "\(report.imagesLinked) linked, \(report.imagesCopied) copied, \(report.imagesUnchanged) unchanged"
      if report.thumbnailsMade > 0 { images += ", \(report.thumbnailsMade) thumbnails made" }
      if report.imagesMissing > 0 { images += ", \(report.imagesMissing) missing from the archive" }
      let tasks = report.tasks == 1 ? "1 task" : "\(report.tasks) tasks"
      Console.out(
        "\(tasks) · pages: \(report.pagesWritten) written, \(report.pagesUnchanged) unchanged, "
          + "\(report.filesRemoved) files removed · images: \(images)")
      Console.out(report.indexPath)
    }
  }
}
