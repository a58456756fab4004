import ArchiveStore
import ArgumentParser

/// The search filters `search` and `export-gallery` share.
struct SearchFilterOptions: ParsableArguments {
  @Option(help: "Only this action, e.g. IMAGINE, UPSCALE, VARIATION.")
  var action: String?

  @Option(help: "Only this status, e.g. SUCCESS, FAILURE.")
  var status: String?

  @Option(help: "Aspect ratio, e.g. 16:9.")
  var ar: String?

  @Option(name: .customLong("mj-version"), help: "Midjourney version (--v), e.g. 6.1.")
  var mjVersion: String?

  @Option(help: "Niji version, e.g. 6.")
  var niji: String?

  @Option(help: "A style reference URL or code (matched inside --sref values).")
  var sref: String?

  @Option(help: "Seed.")
  var seed: String?

  @Option(help: "Submitted on or after this date (2026-03-01 or ISO 8601, UTC).")
  var since: String?

  @Option(help: "Submitted on or before this date.")
  var until: String?

  @Flag(help: "Only tasks whose image is downloaded.")
  var hasImage = false

  /// True when any filter is set.
  var isSet: Bool {
    [action, status, ar, mjVersion, niji, sref, seed, since, until].contains { $0 != nil } || hasImage
  }

  func validate() throws {
    for (name, value) in [("--since", since), ("--until", until)] {
      guard let value else { continue }
      do {
        _ = try SearchQuery.milliseconds(from: value)
      } catch {
        throw ValidationError("\(name): \(error.description)")
      }
    }
  }

  /// Sets the filters on `search`.
  func apply(to search: inout SearchQuery) throws(StoreError) {
    search.action = action
    search.status = status
    search.aspectRatio = ar
    search.version = mjVersion
    search.niji = niji
    search.sref = sref
    search.seed = seed
    search.since = try since.map { (text: String) throws(StoreError) in try SearchQuery.milliseconds(from: text) }
    search.until = try until.map { (text: String) throws(StoreError) in
      try SearchQuery.milliseconds(from: text, endOfDay: true)
    }
    search.hasImage = hasImage
  }
}
