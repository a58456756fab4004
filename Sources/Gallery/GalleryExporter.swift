import ArchiveStore
import Foundation

/// Turns the archive into a static gallery that opens from disk.
///
/// It writes an index (newest first, by day, paged), a page per task, a page per family, a search index and the
/// images. A second export into the same folder rewrites only pages whose content changed and removes those of tasks
/// no longer exported; one made from the same archive state and options, into a gallery left as it was, stops after
/// checking that (the archive's change counter and the manifest's stamps).
public struct GalleryExporter {
  private let store: ArchiveStore
  private let options: GalleryOptions

  public init(store: ArchiveStore, options: GalleryOptions) {
    self.store = store
    self.options = options
  }

  /// Exports into `folder` (created if missing).
  ///
  /// - Throws: `GalleryError` for an unreadable archive, a bad template, or a folder that cannot be written.
  public func export(to folder: URL, progress: (GalleryProgress) -> Void = { _ in }) throws(GalleryError)
    -> GalleryReport
  {
    guard options.pageSize >= 1, options.thumbnailEdge >= 16 else {
      throw GalleryError.badOption("the page size must be at least 1 and the thumbnail edge at least 16")
    }
    let templates = try GalleryTemplates(overriddenBy: options.templates)
    progress(GalleryProgress(stage: "reading", done: 0, total: 0))
    // Read before the tasks: a change landing between the two makes the next export redo this one, never skip it.
    let input = try exportInput(templates: templates)
    let output = try GalleryFolder(root: folder)
    if let input, let unchanged = output.unchangedState(input: input) {
      output.finishUnchanged()
      var report = unchanged.report
      report.indexPath = output.root.appendingPathComponent("index.html").path
      return report
    }
    let tasks: [ArchivedTask]
    let links: [LineageLink]
    let pictures: [HashedImage]
    do {
      tasks = try selectedTasks()
      links = try store.lineageLinks()
      pictures = try store.hashedImages()
    } catch {
      throw GalleryError.store(error)
    }
    let linker = ImageLinker(
      archive: store.directory, folder: output, copy: options.copyImages, source: options.images,
      edge: options.thumbnailEdge)
    var images: [String: TaskImages] = [:]
    for (offset, task) in tasks.enumerated() {
      images[task.id] = linker.images(for: task)
      if offset % 1_000 == 999 { progress(GalleryProgress(stage: "images", done: offset + 1, total: tasks.count)) }
    }
    if let refusal = linker.refusal { throw .folder(refusal) }
    progress(GalleryProgress(stage: "thumbnails", done: 0, total: linker.pendingThumbnails))
    linker.makeThumbnails { progress(GalleryProgress(stage: "thumbnails", done: $0, total: $1)) }
    for (id, taskImages) in images { images[id] = linker.settled(taskImages) }

    let order = Dictionary(tasks.map { ($0.id, $0.seq) }, uniquingKeysWith: { first, _ in first })
    let forest = FamilyForest(links: links, order: order)
    let builder = PageBuilder(
      title: options.title, tasks: tasks, images: images, imageSource: options.images, forest: forest,
      similar: SimilarStrips(pictures: pictures, exported: Set(order.keys), forest: forest))
    let pages = PageList(tasks: tasks, builder: builder, pageSize: options.pageSize)
    try pages.render(with: builder, templates: templates, into: output) {
      progress(GalleryProgress(stage: "pages", done: $0, total: $1))
    }
    try output.file("assets/gallery.css", contents: templates.stylesheet)
    try output.file("assets/gallery.js", contents: templates.script)
    try output.file("assets/search.js", contents: templates.searchScript)
    try SearchIndexWriter(tasks: tasks, builder: builder, chunk: options.searchRowsPerFile).write(
      into: output, salt: templates.fingerprint)
    // Only a complete export is one a later export may stand on without redoing it.
    if let input, linker.missing == 0, linker.thumbnailsFailed == 0 {
      output.record(
        ExportState(
          input: input, tasks: tasks.count, pages: output.written + output.unchanged,
          images: linker.linked + linker.copied + linker.unchanged, referenced: linker.referenced))
    }
    let removed = try output.finish()

    var report = GalleryReport()
    report.tasks = tasks.count
    report.pagesWritten = output.written
    report.pagesUnchanged = output.unchanged
    report.filesRemoved = removed
    report.imagesLinked = linker.linked
    report.imagesCopied = linker.copied
    report.imagesUnchanged = linker.unchanged
    report.imagesMissing = linker.missing
    report.thumbnailsMade = linker.thumbnailsMade
    report.imagesReferenced = linker.referenced
    report.imagesToFetch = linker.toFetch
    report.indexPath = output.root.appendingPathComponent("index.html").path
    return report
  }

  /// A digest of what the export is made from besides the gallery.
  ///
  /// That is the archive (its database file and change counter), the options, the templates, the time zone and this
  /// build's page format. Nil where images are fetched after the export, as only a full export lists what the
  /// gallery lacks.
  private func exportInput(templates: GalleryTemplates) throws(GalleryError) -> String? {
    guard options.images != .fetched else { return nil }
    var database = stat()
    guard stat(store.databaseURL.path, &database) == 0 else { return nil }
    var input = Fingerprint("export \(Self.pageFormat)")
    do {
      input.add(try store.changeCount())
    } catch {
      throw .store(error)
    }
    input.add("\(database.st_dev)-\(database.st_ino)")
    input.add(store.directory.standardizedFileURL.path)
    input.add(options.title)
    input.add(options.query.map { String(describing: $0) })
    input.add(options.familyOf)
    input.add(options.copyImages ? 1 : 0)
    input.add(String(describing: options.images))
    input.add(options.pageSize)
    input.add(options.thumbnailEdge)
    input.add(options.searchRowsPerFile)
    input.add(templates.fingerprint)
    input.add(DisplayDate.zoneName)
    return input.text
  }

  /// Changed when this build writes pages differently from the same input, so no export stands on an older one's.
  static let pageFormat = 2

  private func selectedTasks() throws(StoreError) -> [ArchivedTask] {
    let family = try options.familyOf.map { id throws(StoreError) in try store.family(of: id).nodes.map(\.id) }
    return try store.archivedTasks(matching: options.query, among: family)
  }
}
