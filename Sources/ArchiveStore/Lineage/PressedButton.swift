import MidjourneyAPI

/// A button under a task in a stored batch that made another task of the same batch, with the text
/// an edge shows for it: its label, else its emoji.
///
/// Read in Swift from the JSON the batch parsed already, so choosing the batch's edges need not parse
/// each parent's JSON again in SQL through the `buttons` view (a tenth of an import's CPU).
struct PressedButton: Sendable, Equatable {
  let parentId: String
  let customId: String
  let label: String

  /// The buttons of `tasks` whose custom id a task of `tasks` names as the button that made it.
  ///
  /// Reads exactly what the `buttons` view would: where the two readers could differ (a duplicate
  /// key, a custom id, label or emoji that is not a string, a byte-order mark SQLite would refuse,
  /// two buttons with one custom id, a task given twice), a task gives none and the edge reads the view
  /// as before. So does a task whose own job hash no pressed custom id names: it is not read at all.
  static func labels(in tasks: [PreparedTask]) -> [PressedButton] {
    // By index and without key paths: copying a PreparedTask retains some thirty references.
    var pressed = Set<String>()
    // A button's custom id carries its task's job hash, so only tasks whose hash a pressed custom id
    // names are read; a pressed custom id without a hash has every task read.
    var pressedHashes = Set<String>()
    var readEveryTask = false
    var occurrences: [String: Int] = [:]
    for index in tasks.indices {
      if let customId = tasks[index].record.parentCustomId {
        pressed.insert(customId)
        if let hash = tasks[index].record.parentHash { pressedHashes.insert(hash) } else { readEveryTask = true }
      }
      occurrences[tasks[index].task.id, default: 0] += 1
    }
    guard !pressed.isEmpty else { return [] }
    var found: [PressedButton] = []
    for index in tasks.indices {
      // A task given twice (two states of it) is left to the view: the label of the one stored counts.
      guard readEveryTask || tasks[index].record.jobHash.map(pressedHashes.contains) == true,
        occurrences[tasks[index].task.id] == 1,
        tasks[index].task.raw.first != 0xEF, case .object(let top) = tasks[index].task.json,
        case .array(let buttons)? = only("buttons", in: top)
      else { continue }
      var labels: [PressedButton] = []
      var readable = true
      for case .object(let button) in buttons {
        guard let customId = text(only("customId", in: button)) else {
          readable = false
          break
        }
        guard !customId.isEmpty, pressed.contains(customId) else { continue }
        // SQLite's text ends at a NUL for some readers; two buttons with one custom id are ambiguous.
        guard let label = text(only("label", in: button)), let emoji = text(only("emoji", in: button)),
          !label.utf8.contains(0), !emoji.utf8.contains(0), !labels.contains(where: { $0.customId == customId })
        else {
          readable = false
          break
        }
        labels.append(
          PressedButton(parentId: tasks[index].task.id, customId: customId, label: label.isEmpty ? emoji : label))
      }
      if readable { found += labels }
    }
    return found
  }

  /// The value of `key` where the object has it once; `.null` where it lacks it; nil where it repeats it.
  private static func only(_ key: String, in object: JSONObject) -> JSONValue? {
    var value: JSONValue = .null
    var count = 0
    for member in object.members where member.key == key {
      value = member.value
      count += 1
    }
    // `.none`, not `nil`: JSONValue is itself expressible by `nil` (as `.null`).
    return count <= 1 ? value : .none
  }

  /// The string, "" for null or absent (as the view reads them); nil for anything SQL would read otherwise.
  private static func text(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let text)?: text
    case .null?: ""
    default: nil
    }
  }
}
