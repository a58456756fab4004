import ArchiveStore

/// What each page is made from, as a fingerprint computed without building the page: the task's own digest and
/// those of every task the page shows (root, parent, children, upscales, family members, tiles, similar
/// pictures), with the tree's shape and the neighbours' ids. A page is built and rendered only when this changed
/// since the last export.
extension PageBuilder {
  /// Everything of one task that any page shows: its stored fields and the images linked for it.
  static func digest(of task: ArchivedTask, images: TaskImages?) -> [UInt8] {
    var input = Fingerprint("task")
    input.add(task.id)
    input.add(Int64(task.seq))
    for text in [
      task.action, task.status, task.progress, task.prompt, task.promptEn, task.finalPrompt, task.description,
      task.failReason, task.seed,
    ] {
      input.add(text)
    }
    input.add(task.submitTime)
    input.add(task.startTime)
    input.add(task.finishTime)
    input.add(task.buttons.count)
    for button in task.buttons {
      input.add(button.label)
      input.add(button.emoji)
    }
    input.add(images?.original)
    input.add(images?.quadrants.count)
    for image in (images?.quadrants ?? []) + (images?.thumbnails ?? []) { input.add(image) }
    return input.digest
  }

  /// The task page's input: the task, its neighbours, and its lineage as the page shows it.
  func taskInput(_ task: ArchivedTask, newer: String?, older: String?, salt: String) -> String {
    var input = Fingerprint("task page")
    input.add(salt)
    input.add(digest: digests[task.id])
    input.add(newer)
    input.add(older)
    let root = forest.root(of: task.id)
    input.add(root)
    input.add(digest: digests[root])
    input.add(familySizes[root])
    if let link = forest.link(of: task.id) {
      input.add(link.madeFromId)
      input.add(link.buttonText)
      input.add(digest: digests[link.madeFromId])
    }
    addChildren(of: task.id, to: &input)
    let strip = similar.strips[task.id] ?? []
    input.add(strip.count)
    for match in strip {
      input.add(match.image.name)
      input.add(match.distance(by: SimilarStrips.algorithm))
      input.add(digest: digests[match.image.taskId])
    }
    return input.text
  }

  /// The family page's input: the tree's shape with each member's button and digest.
  func familyInput(_ root: String, salt: String) -> String {
    var input = Fingerprint("family page")
    input.add(salt)
    for node in forest.tree(under: root) {
      input.add(node.id)
      input.add(node.depth)
      input.add(forest.link(of: node.id)?.buttonText)
      input.add(digest: digests[node.id])
    }
    return input.text
  }

  /// An index page's input: its tiles, navigation, count and filter menus.
  func indexInput(
    _ slice: ArraySlice<ArchivedTask>, labels: [String?], filters: [String: [String]], salt: String
  ) -> String {
    var input = Fingerprint("index page")
    input.add(salt)
    for label in labels { input.add(label) }
    for (key, values) in filters.sorted(by: { $0.key < $1.key }) {
      input.add(key)
      input.add(values.count)
      for value in values { input.add(value) }
    }
    for task in slice { input.add(digest: digests[task.id]) }
    return input.text
  }

  private func addChildren(of id: String, to input: inout Fingerprint) {
    let children = forest.children[id] ?? []
    input.add(children.count)
    for child in children {
      let link = forest.link(of: child)
      input.add(child)
      input.add(link?.madeFromId)
      input.add(link?.step?.kind)
      input.add(link?.step?.index)
      input.add(link?.buttonText)
      input.add(digest: digests[child])
    }
  }
}
