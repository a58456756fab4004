import ArchiveStore
import Foundation

/// Turns the archive into a static gallery that opens from disk: an index (newest first, by day, paged), a page per
/// task, a page per family, a search index and the images. A second export into the same folder rewrites only
/// pages whose content changed and removes those of tasks no longer exported.
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
  public func export(to folder: URL, progress: (GalleryProgress) -> Void = { _ in }) throws(GalleryError) -> GalleryReport {
    guard options.pageSize >= 1, options.thumbnailEdge >= 16 else {
      throw GalleryError.badOption("the page size must be at least 1 and the thumbnail edge at least 16")
    }
    let templates = try GalleryTemplates(overriddenBy: options.templates)
    progress(GalleryProgress(stage: "reading", done: 0, total: 0))
    let tasks: [ArchivedTask]
    let links: [LineageLink]
    do {
      tasks = try selectedTasks()
      links = try store.lineageLinks()
    } catch {
      throw GalleryError.store(error)
    }
    let output = try GalleryFolder(root: folder)
    let linker = ImageLinker(archive: store.directory, folder: output, copy: options.copyImages, edge: options.thumbnailEdge)
    var images: [String: TaskImages] = [:]
    for (offset, task) in tasks.enumerated() {
      images[task.id] = linker.images(for: task)
      if offset % 1_000 == 999 { progress(GalleryProgress(stage: "images", done: offset + 1, total: tasks.count)) }
    }
    progress(GalleryProgress(stage: "thumbnails", done: 0, total: linker.pendingThumbnails))
    linker.makeThumbnails()
    for (id, taskImages) in images { images[id] = linker.settled(taskImages) }

    let order = Dictionary(tasks.map { ($0.id, $0.seq) }, uniquingKeysWith: { first, _ in first })
    var builder = PageBuilder(
      title: options.title, tasks: Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
      images: images, forest: FamilyForest(links: links, order: order))
    let salt = templates.fingerprint
    var pagesDone = 0
    let pageCount = tasks.count
    for (offset, task) in tasks.enumerated() {
      let path = PageNames.taskPage(task.id)
      let context = builder.task(
        task, path: path, newer: offset > 0 ? PageNames.taskPage(tasks[offset - 1].id) : nil,
        older: offset + 1 < tasks.count ? PageNames.taskPage(tasks[offset + 1].id) : nil)
      try output.page(path, fingerprint: ContextFingerprint.of(context, salt: salt)) {
        templates.render("task", context)
      }
      pagesDone += 1
      if pagesDone % 1_000 == 0 { progress(GalleryProgress(stage: "pages", done: pagesDone, total: pageCount)) }
    }
    var roots: Set<String> = []
    for task in tasks {
      let root = builder.forest.root(of: task.id)
      if roots.insert(root).inserted, builder.forest.children[root]?.isEmpty == false {
        let path = PageNames.familyPage(root)
        let context = builder.family(root, path: path)
        try output.page(path, fingerprint: ContextFingerprint.of(context, salt: salt)) {
          templates.render("family", context)
        }
      }
    }
    try writeIndexPages(tasks, builder: builder, output: output, templates: templates)
    try output.file("assets/gallery.css", contents: templates.stylesheet)
    try output.file("assets/gallery.js", contents: templates.script)
    try output.file("assets/search-index.js", contents: SearchIndexFile.contents(of: tasks, images: images))
    progress(GalleryProgress(stage: "pages", done: pageCount, total: pageCount))
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
    report.indexPath = output.root.appendingPathComponent("index.html").path
    return report
  }

  private func selectedTasks() throws(StoreError) -> [ArchivedTask] {
    guard let family = options.familyOf else { return try store.archivedTasks(matching: options.query) }
    let ids = try store.family(of: family).nodes.map(\.id)
    let members = try store.archivedTasks(ids: ids)
    guard let query = options.query else { return members }
    let matching = Set(try store.archivedTasks(matching: query).map(\.id))
    return members.filter { matching.contains($0.id) }
  }

  /// Index pages are counted from the oldest, so a new task changes only the front page and the page it pushes
  /// out: `p/1.html` holds the oldest `pageSize` tasks, and `index.html` the newest full page plus any newer ones.
  private func writeIndexPages(
    _ tasks: [ArchivedTask], builder: PageBuilder, output: GalleryFolder, templates: GalleryTemplates
  ) throws(GalleryError) {
    let size = options.pageSize
    let full = tasks.count / size
    let olderPages = max(full - 1, 0)
    var actions: Set<String> = []
    var ratios: Set<String> = []
    var versions: Set<String> = []
    for task in tasks {
      if let action = task.action { actions.insert(action) }
      let parameters = PromptParameters(parsing: task.parameterSource)
      if let ratio = parameters.aspectRatio { ratios.insert(ratio) }
      if let version = PageBuilder.version(parameters) { versions.insert(version) }
    }
    let filters = ["actions": actions.sorted(), "ratios": ratios.sorted(), "versions": versions.sorted().reversed()]
    let count = tasks.count == 1 ? "1 task" : "\(tasks.count) tasks"
    func write(_ path: String, _ slice: ArraySlice<ArchivedTask>, page: String, newer: String?, older: String?)
      throws(GalleryError)
    {
      let context = builder.index(
        slice, path: path, pageText: page, countText: path == "index.html" ? count : nil, newer: newer, older: older,
        filters: filters)
      try output.page(path, fingerprint: ContextFingerprint.of(context, salt: templates.fingerprint)) {
        templates.render("index", context)
      }
    }
    let frontCount = tasks.count - olderPages * size
    try write(
      "index.html", tasks[0..<frontCount], page: "Newest", newer: nil,
      older: olderPages > 0 ? PageNames.indexPage(olderPages) : nil)
    for number in stride(from: olderPages, through: 1, by: -1) {
      let end = tasks.count - (number - 1) * size
      try write(
        PageNames.indexPage(number), tasks[(end - size)..<end], page: "Page \(number)",
        newer: number == olderPages ? "index.html" : PageNames.indexPage(number + 1),
        older: number > 1 ? PageNames.indexPage(number - 1) : nil)
    }
  }
}
