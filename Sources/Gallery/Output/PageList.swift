import ArchiveStore
import Basics
import Foundation
import MidjourneyAPI

/// Every page of an export, rendered on all cores: a page per task (with its newer and older neighbours), a page
/// per family of more than one task, and the index pages.
///
/// Index pages are counted from the oldest, so a new task changes only the front page and the page it pushes out:
/// `p/1.html` holds the oldest `pageSize` tasks, and `index.html` the newest full page plus any newer tasks.
struct PageList: Sendable {
  enum Page: Sendable {
    case task(Int)
    case family(String)
    case index(path: String, range: Range<Int>, title: String, newer: String?, older: String?)
  }

  let tasks: [ArchivedTask]
  let pages: [Page]
  /// Values for the index pages' filter menus.
  let filters: [String: [String]]

  init(tasks: [ArchivedTask], builder: PageBuilder, pageSize: Int) {
    self.tasks = tasks
    var pages = tasks.indices.map(Page.task)
    pages += builder.familySizes.filter { $0.value > 1 }.keys.sorted().map(Page.family)
    let olderPages = max(tasks.count / pageSize - 1, 0)
    pages.append(
      .index(
        path: "index.html", range: 0..<(tasks.count - olderPages * pageSize), title: "Newest", newer: nil,
        older: olderPages > 0 ? PageNames.indexPage(olderPages) : nil))
    for number in stride(from: olderPages, through: 1, by: -1) {
      let end = tasks.count - (number - 1) * pageSize
      pages.append(
        .index(
          path: PageNames.indexPage(number), range: (end - pageSize)..<end, title: "Page \(number)",
          newer: number == olderPages ? "index.html" : PageNames.indexPage(number + 1),
          older: number > 1 ? PageNames.indexPage(number - 1) : nil))
    }
    self.pages = pages
    var actions: Set<String> = []
    var ratios: Set<String> = []
    var versions: Set<String> = []
    for task in tasks {
      if let action = task.action { actions.insert(action) }
      let parameters = builder.parameters[task.id] ?? PromptParameters()
      if let ratio = parameters.aspectRatio { ratios.insert(ratio) }
      if let version = PageBuilder.version(parameters) { versions.insert(version) }
    }
    filters = ["actions": actions.sorted(), "ratios": ratios.sorted(), "versions": versions.sorted().reversed()]
  }

  /// Renders and writes every page whose fingerprint changed, in batches spread over all cores; `progress` is
  /// called between batches with pages done and the total.
  func render(
    with builder: PageBuilder, templates: GalleryTemplates, into output: GalleryFolder,
    progress: (Int, Int) -> Void
  ) throws(GalleryError) {
    for page in pages { try output.prepareFolder(for: path(of: page)) }
    let failure = Locked<GalleryError?>(nil)
    let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let batch = 2_000
    for start in stride(from: 0, to: pages.count, by: batch) {
      let end = min(start + batch, pages.count)
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        for index in stride(from: start + lane, to: end, by: lanes) {
          do throws(GalleryError) {
            try write(pages[index], builder: builder, templates: templates, output: output)
          } catch {
            failure.withLock { $0 = $0 ?? error }
            return
          }
        }
      }
      if let error = failure.withLock({ $0 }) { throw error }
      progress(end, pages.count)
    }
  }

  private func path(of page: Page) -> String {
    switch page {
    case .task(let index): return PageNames.taskPage(tasks[index].id)
    case .family(let root): return PageNames.familyPage(root)
    case .index(let path, _, _, _, _): return path
    }
  }

  private func write(
    _ page: Page, builder: PageBuilder, templates: GalleryTemplates, output: GalleryFolder
  ) throws(GalleryError) {
    let path = path(of: page)
    let salt =
      templates.fingerprint + "\u{0}" + builder.title + "\u{0}" + DisplayDate.zoneName + "\u{0}"
      + builder.imageSource.base(forPageBase: "")
    switch page {
    case .task(let index):
      let newer = index > 0 ? PageNames.taskPage(tasks[index - 1].id) : nil
      let older = index + 1 < tasks.count ? PageNames.taskPage(tasks[index + 1].id) : nil
      try output.page(path, fingerprint: builder.taskInput(tasks[index], newer: newer, older: older, salt: salt)) {
        templates.render("task", builder.task(tasks[index], path: path, newer: newer, older: older))
      }
    case .family(let root):
      try output.page(path, fingerprint: builder.familyInput(root, salt: salt)) {
        templates.render("family", builder.family(root, path: path))
      }
    case .index(_, let range, let title, let newer, let older):
      let count = path == "index.html" ? (tasks.count == 1 ? "1 task" : "\(tasks.count) tasks") : nil
      let input = builder.indexInput(
        tasks[range], labels: [path, title, count, newer, older], filters: filters, salt: salt)
      try output.page(path, fingerprint: input) {
        templates.render(
          "index",
          builder.index(
            tasks[range], path: path, pageText: title, countText: count, newer: newer, older: older, filters: filters))
      }
    }
  }
}
