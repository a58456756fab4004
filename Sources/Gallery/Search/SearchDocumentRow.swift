import ArchiveStore
import MidjourneyAPI

/// One task as the gallery's search shows and checks it: id, page, thumbnail, prompt, other text (final and English
/// prompts), action, aspect ratio, version, submit time in milliseconds.
///
/// The index's words come from `searchedTexts`, and the script checks phrases against the same texts in a row, so
/// what is found and what is shown agree.
struct SearchDocumentRow {
  /// Longest prompt text kept per task.
  static let maximumTextCharacters = 2_000

  let id: String
  let prompt: String
  let otherText: String
  let action: String
  let aspectRatio: String
  let version: String
  private let page: String
  private let thumbnail: String
  let submitTime: Int64?

  init(_ task: ArchivedTask, builder: PageBuilder) {
    let prompt = task.prompt ?? ""
    let parameters = builder.parameters[task.id] ?? PromptParameters()
    var extra: [String] = []
    if let final = task.finalPrompt, final != prompt { extra.append(final) }
    if let english = task.promptEn, english != prompt, english != task.finalPrompt { extra.append(english) }
    id = task.id
    page = PageNames.taskPage(task.id)
    thumbnail = builder.images[task.id]?.thumbnails.first?.path ?? ""
    self.prompt = String(prompt.prefix(Self.maximumTextCharacters))
    otherText = String(extra.joined(separator: " ").prefix(Self.maximumTextCharacters))
    action = task.action ?? ""
    aspectRatio = parameters.aspectRatio ?? ""
    version = PageBuilder.version(parameters) ?? ""
    submitTime = task.submitTime
  }

  /// The texts whose words a search matches, each on its own (a phrase does not run from one into the next).
  var searchedTexts: [String] { [id, prompt, otherText] }

  /// The row as a JSON array.
  ///
  /// `JSONValue` escapes `<`, `>`, `&` and U+2028/9, so the row is safe inside a script.
  var json: String {
    let texts = [id, page, thumbnail, prompt, otherText, action, aspectRatio, version]
    return JSONValue.array(texts.map(JSONValue.string) + [submitTime.map { .number(String($0)) } ?? .null]).serialized()
  }
}
