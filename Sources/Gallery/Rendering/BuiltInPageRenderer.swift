/// The built-in templates (`Templates/*.mustache`) written out in Swift: the same bytes from the same context,
/// without a template engine.
///
/// swift-mustache looks every name up through protocol casts, which was half of a first export's CPU. A test renders
/// every page of real archives both ways and compares the bytes; pages made from `--templates` go through Mustache.
enum BuiltInPageRenderer {
  /// Renders the page template `name` (index, task or family); nil for another name.
  static func render(_ name: String, _ context: [String: Any]) -> String? {
    let scope = PageScope(context)
    var out = ""
    out.reserveCapacity(8_192)
    switch name {
    case "index": index(scope, into: &out)
    case "task": task(scope, into: &out)
    case "family": family(scope, into: &out)
    default: return nil
    }
    return out
  }

  private static func head(_ s: PageScope, into out: inout String) {
    out += """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="color-scheme" content="light dark">
      <link rel="icon" href="data:,">

      """
    out += "<title>\(s.text("pageTitle")) · \(s.text("galleryTitle"))</title>\n"
    out += "<link rel=\"stylesheet\" href=\"\(s.text("base"))assets/gallery.css\">\n"
    line(s, "newerHref", into: &out) { "<link rel=\"prev\" href=\"\(s.text("newerHref"))\">" }
    line(s, "olderHref", into: &out) { "<link rel=\"next\" href=\"\(s.text("olderHref"))\">" }
    out += "<script src=\"\(s.text("base"))assets/gallery.js\" defer></script>\n</head>\n"
    out += "<body data-base=\"\(s.text("base"))\" data-image-base=\"\(s.text("imageBase"))\" "
    out += "data-page=\"\(s.text("pageKind"))\">\n<header class=\"bar\">\n"
    out += "<a class=\"home\" href=\"\(s.text("base"))index.html\">\(s.text("galleryTitle"))</a>\n"
    out += "<span class=\"count\">\(s.text("taskCountText"))</span>\n</header>\n"
  }

  /// A template line holding only `{{#key}}…{{/key}}`: `body` where `key` is set, then the line's end either way.
  private static func line(_ s: PageScope, _ key: String, into out: inout String, _ body: () -> String) {
    if s.isSet(key) { out += body() }
    out += "\n"
  }

  /// `{{#key}}<li>{{.}}</li>{{/key}}` over a list of strings.
  private static func items(_ s: PageScope, _ key: String) -> String {
    s.strings(key).map { "<li>\($0)</li>" }.joined()
  }

  /// The pager's links to the newer and the older page.
  private static func newerLink(_ s: PageScope) -> String {
    "<a href=\"\(s.text("newerHref"))\" rel=\"prev\">← Newer</a>"
  }

  private static func olderLink(_ s: PageScope) -> String {
    "<a href=\"\(s.text("olderHref"))\" rel=\"next\">Older →</a>"
  }

  /// `width="…" height="…"` where the size is known.
  private static func size(_ s: PageScope) -> String {
    s.isSet("hasSize") ? " width=\"\(s.text("width"))\" height=\"\(s.text("height"))\"" : ""
  }

  private static func options(_ s: PageScope, _ key: String) -> String {
    s.strings(key).map { "<option value=\"\($0)\">\($0)</option>" }.joined()
  }

  private static func index(_ s: PageScope, into out: inout String) {
    head(s, into: &out)
    out += """
      <main id="main">
      <form class="search" role="search" hidden>
      <label for="q">Search prompts</label>
      <input id="q" type="search" name="q" placeholder="Search prompts (press /)" autocomplete="off">
      <label for="f-action">Action</label>

      """
    out += "<select id=\"f-action\"><option value=\"\">any</option>\(options(s, "actions"))</select>\n"
    out += "<label for=\"f-ar\">Aspect ratio</label>\n"
    out += "<select id=\"f-ar\"><option value=\"\">any</option>\(options(s, "ratios"))</select>\n"
    out += "<label for=\"f-version\">Version</label>\n"
    out += "<select id=\"f-version\"><option value=\"\">any</option>\(options(s, "versions"))</select>\n"
    out += """
      <label for="f-since">From</label>
      <input id="f-since" type="date">
      <label for="f-until">To</label>
      <input id="f-until" type="date">
      </form>
      <section id="results" hidden aria-live="polite">
      <h2 id="results-title">Results</h2>
      <ul class="tiles" id="result-tiles"></ul>
      <button type="button" id="more" hidden>Show more</button>
      </section>
      <div id="pages">

      """
    out += "<h1>\(s.text("galleryTitle"))</h1>\n"
    let days = s.sections("days")
    if days.isEmpty { out += "<p class=\"empty\">No tasks to show.</p>" }
    out += "\n"
    for day in days {
      out += "<section class=\"day\">\n<h2><time datetime=\"\(day.text("iso"))\">\(day.text("label"))</time></h2>\n"
      out += "<ul class=\"tiles\">\n"
      for tile in day.sections("tiles") { self.tile(tile, into: &out) }
      out += "\n</ul>\n</section>\n"
    }
    out += "<nav class=\"pager\" aria-label=\"Pages\">\n"
    line(s, "newerHref", into: &out) { newerLink(s) }
    out += "<span>\(s.text("pageText"))</span>\n"
    line(s, "olderHref", into: &out) { olderLink(s) }
    out += "</nav>\n</div>\n</main>\n</body>\n</html>\n"
  }

  private static func tile(_ s: PageScope, into out: inout String) {
    out += "<li class=\"tile\(s.isSet("isGrid") ? " grid" : "")\" data-id=\"\(s.text("id"))\">\n"
    out += "<a href=\"\(s.text("base"))\(s.text("href"))\" title=\"\(s.text("prompt"))\">\n"
    let thumbs = s.sections("thumbs")
    for thumb in thumbs {
      out += "<img src=\"\(thumb.text("imageBase"))\(thumb.text("src"))\"\(size(thumb)) loading=\"lazy\" "
      out += "decoding=\"async\" alt=\"\(thumb.text("alt"))\">"
    }
    out += "\n"
    if thumbs.isEmpty {
      out += "<span class=\"placeholder\"><span class=\"text\">\(s.text("prompt"))</span>"
      out += "<small>\(s.text("statusText"))</small></span>"
    }
    out += "\n<span class=\"caption\">\(s.text("actionText")) · \(s.text("prompt"))</span>\n</a>\n</li>\n"
  }

  private static func link(_ s: PageScope, into out: inout String) {
    let button = s.isSet("hasButton") ? "\(s.text("button")) · " : ""
    if s.isSet("exported") {
      out += "<a class=\"link\" href=\"\(s.text("base"))\(s.text("href"))\">"
      if s.isSet("hasThumb") {
        out +=
          "<img src=\"\(s.text("imageBase"))\(s.text("thumb"))\"\(size(s)) loading=\"lazy\" alt=\"\(s.text("alt"))\">"
      }
      out += "<span>\(button)\(s.text("actionText")) \(s.text("id"))</span></a>"
    } else {
      out += "<span class=\"link missing\">\(button)\(s.text("id")) (not in this gallery)</span>"
    }
    out += "\n"
  }

  private static func task(_ s: PageScope, into out: inout String) {
    head(s, into: &out)
    out += "<main id=\"main\" class=\"task\">\n<nav class=\"pager\" aria-label=\"Tasks\">\n"
    line(s, "newerHref", into: &out) { newerLink(s) }
    line(s, "olderHref", into: &out) { olderLink(s) }
    out += "</nav>\n<h1>\(s.text("actionText")) <span class=\"id\">\(s.text("id"))</span></h1>\n"
    out += "<div class=\"layout\">\n<div class=\"media\">\n"
    if s.isSet("isGrid") {
      out += "<ul class=\"quadrants\" aria-label=\"Quadrants\">\n"
      for quadrant in s.sections("quadrants") { self.quadrant(quadrant, into: &out) }
      out += "</ul>\n"
    }
    for image in s.sections("image") {
      out += "<figure class=\"single\"><a href=\"\(image.text("imageBase"))\(image.text("href"))\">"
      out += "<img src=\"\(image.text("imageBase"))\(image.text("href"))\"\(size(image)) alt=\"\(image.text("alt"))\">"
      out += "</a></figure>"
    }
    out += "\n"
    line(s, "noImage", into: &out) { "<p class=\"placeholder\">\(s.text("statusText"))</p>" }
    out += "</div>\n<div class=\"info\">\n<section class=\"prompt\">\n<h2>Prompt</h2>\n"
    out += "<p class=\"text\" id=\"prompt-text\">\(s.text("prompt"))</p>\n"
    line(s, "finalPrompt", into: &out) { "<h3>Final prompt</h3><p class=\"text\">\(s.text("finalPrompt"))</p>" }
    line(s, "promptEn", into: &out) { "<h3>English prompt</h3><p class=\"text\">\(s.text("promptEn"))</p>" }
    line(s, "hasChips", into: &out) { "<ul class=\"chips\" aria-label=\"Parameters\">\(items(s, "chips"))</ul>" }
    out += "<button type=\"button\" id=\"copy-prompt\" hidden>Copy prompt</button>\n</section>\n"
    out += "<section class=\"facts\">\n<h2>Details</h2>\n<dl>\n"
    out += "<dt>Action</dt><dd>\(s.text("actionText"))</dd>\n<dt>Status</dt><dd>\(s.text("statusText"))</dd>\n"
    line(s, "failReason", into: &out) { "<dt>Failure</dt><dd>\(s.text("failReason"))</dd>" }
    for (key, label) in [("submitted", "Submitted"), ("finished", "Finished")] {
      for moment in s.sections(key) {
        out += "<dt>\(label)</dt><dd><time datetime=\"\(moment.text("iso"))\">\(moment.text("text"))</time></dd>"
      }
      out += "\n"
    }
    line(s, "seed", into: &out) { "<dt>Seed</dt><dd>\(s.text("seed"))</dd>" }
    line(s, "hasButtons", into: &out) { "<dt>Buttons</dt><dd><ul class=\"buttons\">\(items(s, "buttons"))</ul></dd>" }
    if s.isSet("hasFiles") {
      out += "<dt>Files</dt><dd><ul class=\"files\">"
      for file in s.sections("files") {
        out += "<li><a href=\"\(file.text("imageBase"))\(file.text("href"))\">\(file.text("name"))</a> "
        out += "\(file.text("size"))</li>"
      }
      out += "</ul></dd>"
    }
    out += "\n</dl>\n</section>\n<section class=\"lineage\">\n<h2>Lineage</h2>\n<dl>\n"
    for (key, label) in [("root", "Root"), ("parent", "Made from")] {
      for relative in s.sections(key) {
        out += "<dt>\(label)</dt><dd>"
        link(relative, into: &out)
        out += "</dd>"
      }
      out += "\n"
    }
    for family in s.sections("family") {
      out += "<dt>Family</dt><dd><a href=\"\(family.text("base"))\(family.text("href"))\">"
      out += "The whole tree (\(family.text("size")) tasks)</a></dd>"
    }
    out += "\n</dl>\n"
    if s.isSet("hasChildren") {
      out += "<h3>Made from this</h3><ul class=\"tiles small\">"
      for child in s.sections("children") {
        out += "<li>"
        link(child, into: &out)
        out += "</li>"
      }
      out += "</ul>"
    }
    out += "\n"
    if !s.isSet("root") && !s.isSet("parent") && !s.isSet("hasChildren") {
      out += "<p>No other task in the archive was made from this one.</p>"
    }
    out += "\n</section>\n"
    if s.isSet("hasSimilar") {
      out += "<section class=\"similar\">\n<h2>Similar</h2>\n<ul class=\"tiles small\">"
      for item in s.sections("similar") { similar(item, into: &out) }
      out += "</ul>\n</section>"
    }
    out += "\n</div>\n</div>\n</main>\n"
    out += "<script type=\"application/json\" id=\"task-data\">\(s.raw("taskJSON"))</script>\n</body>\n</html>\n"
  }

  private static func quadrant(_ s: PageScope, into out: inout String) {
    out += "<li class=\"quadrant\(s.isSet("isUpscaled") ? " upscaled" : "")\">\n"
    out += "<a href=\"\(s.text("imageBase"))\(s.text("href"))\"><img src=\"\(s.text("imageBase"))\(s.text("thumb"))\""
    out += "\(size(s)) alt=\"\(s.text("alt"))\"></a>\n<span class=\"label\">U\(s.text("part"))</span>\n"
    if s.isSet("isUpscaled") {
      if s.isSet("upscaleExported") {
        out += "<a class=\"upscale\" href=\"\(s.text("base"))\(s.text("upscaleHref"))\">"
        out += "Upscaled: \(s.text("upscaleId"))</a>"
      } else {
        out += "<span class=\"upscale\">Upscaled: \(s.text("upscaleId"))</span>"
      }
    }
    out += "\n</li>\n"
  }

  private static func similar(_ s: PageScope, into out: inout String) {
    out += "<li><a class=\"link\" href=\"\(s.text("base"))\(s.text("href"))\">"
    if s.isSet("hasThumb") {
      out +=
        "<img src=\"\(s.text("imageBase"))\(s.text("thumb"))\"\(size(s)) loading=\"lazy\" alt=\"\(s.text("alt"))\">"
    }
    out += "<span>\(s.text("label")) \(s.text("id")) · \(s.text("distanceText"))</span></a></li>"
  }

  private static func family(_ s: PageScope, into out: inout String) {
    head(s, into: &out)
    out += "<main id=\"main\" class=\"family\">\n<h1>Family of <span class=\"id\">\(s.text("rootId"))</span></h1>\n"
    out += "<p>\(s.text("sizeText"))</p>\n<ol class=\"tree\">\n"
    for node in s.sections("nodes") {
      out += "<li class=\"node\" style=\"--depth: \(node.text("depth"))\">"
      if node.isSet("isDeep") { out += "<span class=\"depth\">level \(node.text("depthText"))</span>" }
      link(node, into: &out)
      out += "</li>\n"
    }
    out += "</ol>\n</main>\n</body>\n</html>\n"
  }
}
