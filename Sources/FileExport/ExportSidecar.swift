import ArchiveStore
import Foundation

/// The `.json` written beside an exported picture (`--sidecars`): the task's text, for tools that read sidecars.
struct ExportSidecar: Encodable {
  var taskId: String
  var kind: String
  var part: Int?
  var action: String?
  var prompt: String?
  var finalPrompt: String?
  var parameters: [String]
  var parentId: String?
  var jobId: String?
  /// The picture's seed as the gateway gave it (`sync --seeds`).
  var seed: String?
  /// ISO 8601, UTC.
  var submitted: String?
  var finished: String?
  /// Of the archive's own file (the exported PNG carries metadata, so its bytes differ).
  var archiveSha256: String
  var width: Int?
  var height: Int?

  init(task: ArchivedTask, file: StoredFile, parentId: String?, parameters: PromptParameters) {
    let time = { (milliseconds: Int64?) in
      milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000).formatted(.iso8601) }
    }
    taskId = task.id
    kind = file.kind.rawValue
    part = file.part > 0 ? file.part : nil
    action = task.action
    prompt = task.prompt
    finalPrompt = task.finalPrompt
    self.parameters = parameters.written
    self.parentId = parentId
    jobId = task.jobHash
    seed = task.seed
    submitted = time(task.submitTime)
    finished = time(task.finishTime)
    archiveSha256 = file.sha256
    width = file.width
    height = file.height
  }

  /// Pretty, sorted JSON.
  var json: Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}
