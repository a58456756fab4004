/// What the last export was made from and what it left, kept in the gallery's manifest: an export made from the same
/// input finds every page as it would write it, and stops after checking that the files are still the ones written.
struct ExportState: Equatable {
  /// A digest of the archive's identity and change counter, the options, the templates and the time zone.
  var input: String
  /// Tasks exported.
  var tasks: Int
  /// Pages and assets written or kept.
  var pages: Int
  /// Images linked, copied or kept in the gallery's `i/` folder.
  var images: Int
  /// Images the pages name where they are.
  var referenced: Int

  /// The manifest's line for it.
  var line: String { "\(Self.prefix) \(input) \(tasks) \(pages) \(images) \(referenced)" }

  /// The report an export from the same input makes: every page and image kept.
  var report: GalleryReport {
    var report = GalleryReport()
    report.tasks = tasks
    report.pagesUnchanged = pages
    report.imagesUnchanged = images
    report.imagesReferenced = referenced
    return report
  }

  /// What starts the line in the manifest (no fingerprint starts with `@`).
  static let prefix = "@export"

  init(input: String, tasks: Int, pages: Int, images: Int, referenced: Int) {
    self.input = input
    self.tasks = tasks
    self.pages = pages
    self.images = images
    self.referenced = referenced
  }

  /// Reads a manifest line; nil for any other line or a damaged one.
  init?(line: Substring) {
    let parts = line.split(separator: " ")
    guard parts.count == 6, parts[0] == Self.prefix, let tasks = Int(parts[2]), let pages = Int(parts[3]),
      let images = Int(parts[4]), let referenced = Int(parts[5])
    else { return nil }
    self.init(input: String(parts[1]), tasks: tasks, pages: pages, images: images, referenced: referenced)
  }
}
