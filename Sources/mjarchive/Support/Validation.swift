import ArgumentParser
import MidjourneyAPI

/// Argument checks several commands share.
enum Validation {
  /// Refuses a prompt that is only white space.
  static func prompt(_ prompt: String) throws {
    guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw ValidationError("the prompt is empty")
    }
  }

  /// Refuses ids that could escape a URL path or a file name.
  static func taskID(_ id: String) throws {
    guard TaskID.isValid(id) else { throw ValidationError(GatewayError.invalidTaskID(id).description) }
  }
}
