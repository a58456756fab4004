import Foundation
import MidjourneyAPI

/// One row of `tasks`: every column derived from the task's raw JSON, so `reindex` can rebuild it.
struct TaskRecord: Equatable {
  var id: String
  var action: String?
  var status: String?
  var progress: String?
  var prompt: String?
  var promptEn: String?
  var finalPrompt: String?
  var description: String?
  var failReason: String?
  var state: String?
  var submitTime: Int64?
  var startTime: Int64?
  var finishTime: Int64?
  var imageUrl: String?
  var messageHash: String?
  var messageId: String?
  var progressMessageId: String?
  var parentId: String?
  var referencedMessageId: String?
  var parentCustomId: String?
  var actionIndex: Int64?
  var botType: String?
  var distinctPromptEn: String?
  var distinctFinalPrompt: String?
  var cjkTerms: String
  var rawJSON: Data
  /// The parent's message this task answers: `referencedMessageId`, else (for a step from a button) `progressMessageId`.
  var parentMessageId: String?
  /// The job hash inside `parentCustomId`: the parent's `messageHash`.
  var parentHash: String?
  /// This task's own job hash: `messageHash`, else the UUID its finished image is named after.
  var jobHash: String?
  /// The step that made this task from its parent (see `LineageStep`).
  var lineageKind: String?
  var lineageIndex: Int64?

  /// Whether the task names a parent in any column lineage reads (`LineageDerivation.candidatesSQL`).
  var hasParentTrace: Bool { parentId != nil || parentMessageId != nil || parentHash != nil }

  /// The columns in table order, without `seq`, `first_seen` and `last_fetched`.
  static let columns = [
    "id", "action", "status", "progress", "prompt", "prompt_en", "final_prompt", "description", "fail_reason",
    "state", "submit_time", "start_time", "finish_time", "image_url", "message_hash", "message_id",
    "progress_message_id", "parent_id", "referenced_message_id", "parent_custom_id", "action_index", "bot_type",
    "distinct_prompt_en", "distinct_final_prompt", "cjk_terms", "raw_json", "parent_message_id", "parent_hash",
    "job_hash", "lineage_kind", "lineage_index",
  ]

  /// `INSERT INTO tasks (seq, columns…, first_seen, last_fetched) VALUES (?, …)`.
  static let insertSQL =
    "INSERT INTO tasks (seq, \(columns.joined(separator: ", ")), first_seen, last_fetched) VALUES ("
    + Array(repeating: "?", count: columns.count + 3).joined(separator: ", ") + ")"

  /// `UPDATE tasks SET column = ?, …` for every column but `id`; the caller adds the rest.
  static let updateSQL = "UPDATE tasks SET " + columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")

  init(task: GatewayTask) {
    id = task.id
    action = task.action?.rawValue
    status = task.status?.rawValue
    progress = task.progress
    prompt = task.prompt
    promptEn = task.promptEn
    finalPrompt = task.finalPrompt
    description = task.description
    failReason = task.failReason
    state = task.state
    submitTime = task.submitTime
    startTime = task.startTime
    finishTime = task.finishTime
    imageUrl = task.imageUrl
    messageHash = task.messageHash
    messageId = task.messageId
    progressMessageId = task.properties["progressMessageId"]?.textValue
    parentId = task.parentId
    referencedMessageId = task.properties["referencedMessageId"]?.textValue
    parentCustomId = (task.properties["custom_id"] ?? task.properties["customId"])?.textValue
    actionIndex = task.properties["action_index"]?.int64Value
    botType = task.properties["botType"]?.textValue
    distinctPromptEn = task.promptEn == task.prompt ? nil : task.promptEn
    distinctFinalPrompt = task.finalPrompt == task.prompt ? nil : task.finalPrompt
    // Prompt and final prompt usually share their CJK text; index each distinct text once.
    var texts: [String] = []
    for text in [task.prompt, task.promptEn, task.finalPrompt, task.description].compactMap({ $0 })
    where !texts.contains(text) {
      texts.append(text)
    }
    cjkTerms = CJKTerms.indexText(texts)
    rawJSON = task.raw
    let startsFamily = [TaskAction.imagine, .blend, .describe, .shorten].contains(task.action ?? .imagine)
    parentMessageId = referencedMessageId ?? (startsFamily ? nil : progressMessageId)
    parentHash = parentCustomId.flatMap(JobHash.inCustomId)
    jobHash =
      task.messageHash.flatMap { JobHash.isHash($0) ? $0.lowercased() : nil }
      ?? task.imageUrl.flatMap(JobHash.inImageURL)
    let step =
      parentCustomId.flatMap(LineageStep.init(customId:))
      ?? LineageStep(
        action: task.action, messageContent: task.properties["messageContent"]?.stringValue, actionIndex: actionIndex,
        hasParent: hasParentTrace)
    lineageKind = step?.kind
    lineageIndex = step?.index.map(Int64.init)
  }

  /// Binds the values in `columns` order (without `id` unless `includingId`).
  ///
  /// One call a value, not a loop over an array of them: building those arrays retained and released
  /// every string, 5% of the writer's time.
  func bind(into bindings: inout RawBindings, includingId: Bool) {
    if includingId { bindings.bind(id) }
    bindings.bind(action)
    bindings.bind(status)
    bindings.bind(progress)
    bindings.bind(prompt)
    bindings.bind(promptEn)
    bindings.bind(finalPrompt)
    bindings.bind(description)
    bindings.bind(failReason)
    bindings.bind(state)
    bindings.bind(submitTime)
    bindings.bind(startTime)
    bindings.bind(finishTime)
    bindings.bind(imageUrl)
    bindings.bind(messageHash)
    bindings.bind(messageId)
    bindings.bind(progressMessageId)
    bindings.bind(parentId)
    bindings.bind(referencedMessageId)
    bindings.bind(parentCustomId)
    bindings.bind(actionIndex)
    bindings.bind(botType)
    bindings.bind(distinctPromptEn)
    bindings.bind(distinctFinalPrompt)
    bindings.bind(cjkTerms)
    bindings.bind(rawJSON)
    bindings.bind(parentMessageId)
    bindings.bind(parentHash)
    bindings.bind(jobHash)
    bindings.bind(lineageKind)
    bindings.bind(lineageIndex)
  }

  /// The prompt the parameters are read from: what Midjourney ran, else what was submitted.
  var parameterSource: String {
    finalPrompt ?? prompt ?? ""
  }
}
