import ArchiveStore
import Basics
import Foundation
import MidjourneyAPI

/// Builds the template contexts of every page from the exported tasks, their images and the family forest.
///
/// Values go in as plain strings; the templates escape them for their context (`{{…}}`), and the only unescaped
/// values (`{{{…}}}`) are JSON serialized by `JSONValue`, which escapes for script context.
struct PageBuilder: Sendable {
  /// Longest prompt shown on a task page; a longer one is cut with a note (the archive keeps it whole).
  static let maximumPromptCharacters = 20_000
  /// Longest prompt in captions, titles and alt text.
  static let maximumCaptionCharacters = 300
  /// Deeper tree levels are drawn at this indent, with the level written out.
  static let maximumIndent = 24

  let title: String
  let tasks: [String: ArchivedTask]
  let images: [String: TaskImages]
  /// Where the images' paths lead (into the gallery, or where the archive keeps them).
  let imageSource: GalleryImageSource
  let forest: FamilyForest
  let dates = DisplayDate()
  /// Each task's prompt as captions and alt text show it, made once: a task appears on up to a dozen pages.
  private let captions: [String: String]
  /// Each task's digest (`digest(of:images:)`), for the pages' input fingerprints.
  let digests: [String: [UInt8]]
  /// Members of each exported task's family, by root.
  let familySizes: [String: Int]
  /// Each task's prompt parameters.
  let parameters: [String: PromptParameters]
  /// Each task page's "Similar" strip.
  let similar: SimilarStrips

  init(
    title: String, tasks: [ArchivedTask], images: [String: TaskImages],
    imageSource: GalleryImageSource = .archiveFolder, forest: FamilyForest, similar: SimilarStrips = SimilarStrips()
  ) {
    self.title = title
    self.tasks = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    self.images = images
    self.imageSource = imageSource
    self.forest = forest
    self.similar = similar
    // What every page needs of each task, worked out once and on all cores.
    let derived = tasks.concurrentMap { task in
      (
        caption: Self.caption(task.prompt ?? ""), digest: Self.digest(of: task, images: images[task.id]),
        parameters: PromptParameters(parsing: task.parameterSource)
      )
    }
    var captions: [String: String] = [:]
    var digests: [String: [UInt8]] = [:]
    var parameters: [String: PromptParameters] = [:]
    for (task, item) in zip(tasks, derived) {
      captions[task.id] = item.caption
      digests[task.id] = item.digest
      parameters[task.id] = item.parameters
    }
    self.captions = captions
    self.digests = digests
    self.parameters = parameters
    var sizes: [String: Int] = [:]
    for task in tasks {
      let root = forest.root(of: task.id)
      if sizes[root] == nil { sizes[root] = forest.tree(under: root).count }
    }
    familySizes = sizes
  }

  /// Context of the task page at `path`, with the pages of its newer and older neighbours.
  func task(_ task: ArchivedTask, path: String, newer: String?, older: String?) -> [String: Any] {
    let base = PageNames.base(of: path)
    let images = images[task.id] ?? TaskImages()
    let prompt = task.prompt ?? ""
    var context = common(base: base, kind: "task", pageTitle: prompt.isEmpty ? task.id : (captions[task.id] ?? task.id))
    context["id"] = task.id
    context["actionText"] = task.action ?? "TASK"
    context["statusText"] = Self.status(task)
    context["prompt"] = Self.clipped(prompt)
    if let final = task.finalPrompt, final != prompt { context["finalPrompt"] = Self.clipped(final) }
    if let english = task.promptEn, english != prompt, english != task.finalPrompt {
      context["promptEn"] = Self.clipped(english)
    }
    if let reason = task.failReason, !reason.isEmpty { context["failReason"] = reason }
    context["submitted"] = dates.moment(task.submitTime)
    context["finished"] = dates.moment(task.finishTime)
    if let seed = task.seed { context["seed"] = seed }
    let chips = (parameters[task.id] ?? PromptParameters()).written
    context["hasChips"] = !chips.isEmpty
    context["chips"] = chips
    let buttons = task.buttons.map(\.text).filter { !$0.isEmpty }
    context["hasButtons"] = !buttons.isEmpty
    context["buttons"] = buttons
    if let newer { context["newerHref"] = base + newer }
    if let older { context["olderHref"] = base + older }
    let alt = captions[task.id] ?? ""
    if images.isGrid {
      context["isGrid"] = true
      let upscales = forest.upscales(of: task.id)
      context["quadrants"] = images.quadrants.enumerated().map { offset, quadrant -> [String: Any] in
        var item = quadrant.context(alt: "U\(offset + 1) of \(alt)")
        item["part"] = String(offset + 1)
        item["thumb"] = images.thumbnails[offset].path
        let upscale = upscales[offset + 1]
        item["isUpscaled"] = upscale != nil
        item["upscaleId"] = upscale ?? ""
        item["upscaleExported"] = upscale.map { self.tasks[$0] != nil } ?? false
        item["upscaleHref"] = upscale.map(PageNames.taskPage) ?? ""
        return item
      }
    } else if let original = images.original {
      context["image"] = original.context(alt: alt)
    } else {
      context["noImage"] = true
    }
    let files = ([images.original].compactMap { $0 } + images.quadrants).enumerated().map { offset, image in
      let name = offset == 0 && images.original != nil ? "Original" : "U\(offset + (images.original == nil ? 1 : 0))"
      return ["href": image.path, "name": name, "size": Self.size(image)]
    }
    context["hasFiles"] = !files.isEmpty
    context["files"] = files
    let root = forest.root(of: task.id)
    if root != task.id { context["root"] = link(root, base: base) }
    if let parent = forest.link(of: task.id) {
      context["parent"] = link(parent.madeFromId, base: base, button: parent.buttonText)
    }
    let children = (forest.children[task.id] ?? []).map { child in
      link(child, base: base, button: forest.link(of: child)?.buttonText)
    }
    context["hasChildren"] = !children.isEmpty
    context["children"] = children
    if root != task.id || !children.isEmpty {
      context["family"] = ["href": PageNames.familyPage(root), "size": String(familySizes[root] ?? 1)]
    }
    let strip = (similar.strips[task.id] ?? []).map { similarItem($0, base: base) }
    context["hasSimilar"] = !strip.isEmpty
    context["similar"] = strip
    // JSONValue writes `<`, `>`, `&` and U+2028/9 as `\uXXXX`: safe inside the page's <script> element.
    context["taskJSON"] = JSONValue.object(
      JSONObject([
        "id": .string(task.id), "prompt": .string(prompt),
        "finalPrompt": task.finalPrompt.map(JSONValue.string) ?? .null,
        "action": task.action.map(JSONValue.string) ?? .null,
      ])
    ).serialized()
    return context
  }

  /// Context of the family page of `root`.
  func family(_ root: String, path: String) -> [String: Any] {
    let base = PageNames.base(of: path)
    let nodes = forest.tree(under: root)
    var context = common(base: base, kind: "family", pageTitle: "Family of \(root)")
    context["rootId"] = root
    context["sizeText"] = nodes.count == 1 ? "1 task" : "\(nodes.count) tasks"
    context["nodes"] = nodes.map { node -> [String: Any] in
      var item = link(node.id, base: base, button: node.depth == 0 ? nil : forest.link(of: node.id)?.buttonText)
      item["depth"] = String(min(node.depth, Self.maximumIndent))
      item["isDeep"] = node.depth > Self.maximumIndent
      item["depthText"] = String(node.depth)
      return item
    }
    return context
  }

  /// Context of an index page showing `slice` (newest first).
  func index(
    _ slice: ArraySlice<ArchivedTask>, path: String, pageText: String, countText: String?, newer: String?,
    older: String?, filters: [String: [String]]
  ) -> [String: Any] {
    let base = PageNames.base(of: path)
    var context = common(base: base, kind: "index", pageTitle: pageText)
    if let countText { context["taskCountText"] = countText }
    context["pageText"] = pageText
    if let newer { context["newerHref"] = base + newer }
    if let older { context["olderHref"] = base + older }
    for (key, values) in filters { context[key] = values }
    context["days"] = Self.grouped(slice, dates: dates, tile: tile)
    return context
  }

  /// Groups tiles under day headings, in order.
  private static func grouped(
    _ slice: ArraySlice<ArchivedTask>, dates: DisplayDate, tile: (ArchivedTask) -> [String: Any]
  ) -> [[String: Any]] {
    var days: [[String: Any]] = []
    var key: String?
    var label = ""
    var tiles: [[String: Any]] = []
    for task in slice {
      let day = dates.day(task.submitTime)
      if day.key != key {
        if let key { days.append(["iso": key, "label": label, "tiles": tiles]) }
        (key, label, tiles) = (day.key, day.label, [])
      }
      tiles.append(tile(task))
    }
    if let key { days.append(["iso": key, "label": label, "tiles": tiles]) }
    return days
  }

  /// An index tile: the four quadrant thumbnails of a grid, one thumbnail otherwise, or the status.
  func tile(_ task: ArchivedTask) -> [String: Any] {
    let images = images[task.id] ?? TaskImages()
    let caption = captions[task.id] ?? ""
    return [
      "id": task.id, "href": PageNames.taskPage(task.id), "prompt": caption, "isGrid": images.isGrid,
      "actionText": task.action ?? "TASK", "statusText": Self.status(task),
      "thumbs": images.thumbnails.enumerated().map { offset, thumb in
        thumb.context(alt: images.isGrid ? "U\(offset + 1) of \(caption)" : caption)
      },
    ]
  }

  /// A link to another task's page (or its id, when it is not in this gallery) with its first thumbnail.
  ///
  /// Every key is always set, so the `link` template never picks up an outer value by the same name.
  private func link(_ id: String, base: String, button: String? = nil) -> [String: Any] {
    let task = tasks[id]
    let thumb = images[id]?.thumbnails.first
    return [
      "id": id, "base": base, "imageBase": imageSource.base(forPageBase: base), "exported": task != nil,
      "href": task == nil ? "" : PageNames.taskPage(id),
      "actionText": task?.action ?? "TASK", "hasThumb": thumb != nil, "thumb": thumb?.path ?? "",
      "alt": captions[id] ?? "", "hasSize": thumb?.width != nil && thumb?.height != nil,
      "width": thumb?.width.map(String.init) ?? "", "height": thumb?.height.map(String.init) ?? "",
      "hasButton": button?.isEmpty == false, "button": button ?? "",
    ]
  }

  /// A picture of the "Similar" strip: its thumbnail, linking to its task's page, with its distance.
  private func similarItem(_ match: SimilarImage, base: String) -> [String: Any] {
    let picture = match.image
    let thumbnails = images[picture.taskId]?.thumbnails ?? []
    let thumb = thumbnails.indices.contains(picture.part - 1) ? thumbnails[picture.part - 1] : thumbnails.first
    let caption = captions[picture.taskId] ?? ""
    let bits = match.distance(by: SimilarStrips.algorithm)
    return [
      "base": base, "imageBase": imageSource.base(forPageBase: base), "href": PageNames.taskPage(picture.taskId),
      "hasThumb": thumb != nil, "thumb": thumb?.path ?? "",
      "hasSize": thumb?.width != nil && thumb?.height != nil,
      "width": thumb?.width.map(String.init) ?? "", "height": thumb?.height.map(String.init) ?? "",
      "alt": picture.part == 0 ? caption : "U\(picture.part) of \(caption)",
      "label": (tasks[picture.taskId]?.action ?? "TASK") + (picture.part == 0 ? "" : " U\(picture.part)"),
      "id": picture.taskId, "distanceText": bits == 1 ? "1 bit" : "\(bits) bits",
    ]
  }

  private func common(base: String, kind: String, pageTitle: String) -> [String: Any] {
    [
      "base": base, "imageBase": imageSource.base(forPageBase: base), "pageKind": kind, "pageTitle": pageTitle,
      "galleryTitle": title,
    ]
  }

  /// The status as pages show it: the progress of an unfinished task, the failure of a failed one.
  static func status(_ task: ArchivedTask) -> String {
    let status = task.status ?? "UNKNOWN"
    if status == "IN_PROGRESS", let progress = task.progress { return "\(status) \(progress)" }
    return status
  }

  /// The version filter's value: `--v`, else `niji N`.
  static func version(_ parameters: PromptParameters) -> String? {
    parameters.version ?? parameters.niji.map { $0 == "default" ? "niji" : "niji \($0)" }
  }

  static func caption(_ text: String) -> String {
    if text.utf8.count <= maximumCaptionCharacters, !text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
      return text
    }
    let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return line.count > maximumCaptionCharacters ? String(line.prefix(maximumCaptionCharacters)) + "…" : line
  }

  private static func clipped(_ text: String) -> String {
    guard text.count > maximumPromptCharacters else { return text }
    return String(text.prefix(maximumPromptCharacters))
      + "… (\(text.count - maximumPromptCharacters) more characters are in the archive)"
  }

  private static func size(_ image: GalleryImage) -> String {
    guard let width = image.width, let height = image.height else { return "" }
    return "\(width)×\(height)"
  }
}
