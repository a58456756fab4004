import ArchiveStore
import MidjourneyAPI

/// `assets/search-index.js`: one compact row per task.
///
/// It is loaded by the pages' script on first use (a script, not a
/// fetch, so it loads from file://). Rows: id, page, thumbnail, prompt, other text (final/English prompt), action,
/// aspect ratio, version, submit time in milliseconds.
enum SearchIndexFile {
  /// Longest prompt text indexed per task.
  static let maximumTextCharacters = 2_000

  static func contents(of tasks: [ArchivedTask], builder: PageBuilder) -> [UInt8] {
    var output = Array("window.MJ_SEARCH_INDEX = {\"version\":1,\"tasks\":[\n".utf8)
    output.reserveCapacity(tasks.count * 300)
    for (offset, task) in tasks.enumerated() {
      let prompt = task.prompt ?? ""
      let parameters = builder.parameters[task.id] ?? PromptParameters()
      var extra: [String] = []
      if let final = task.finalPrompt, final != prompt { extra.append(final) }
      if let english = task.promptEn, english != prompt, english != task.finalPrompt { extra.append(english) }
      let texts = [
        task.id, PageNames.taskPage(task.id), builder.images[task.id]?.thumbnails.first?.path ?? "",
        String(prompt.prefix(maximumTextCharacters)),
        String(extra.joined(separator: " ").prefix(maximumTextCharacters)), task.action ?? "",
        parameters.aspectRatio ?? "", PageBuilder.version(parameters) ?? "",
      ]
      let row = JSONValue.array(texts.map(JSONValue.string) + [task.submitTime.map { .number(String($0)) } ?? .null])
      if offset > 0 { output += ",\n".utf8 }
      // Each row is serialized on its own (JSONValue escapes `<`, `>`, `&`, U+2028/9 for script context) and
      // appended as bytes, so the 16 MB whole is built in one pass.
      output += row.serialized().utf8
    }
    output += "\n]};\n".utf8
    return output
  }
}
