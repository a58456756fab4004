import ArgumentParser

/// `--state`: the correlation value a submit carries, which the gateway echoes in the task.
struct StateOptions: ParsableArguments {
  @Option(
    help:
      "A value the gateway keeps in the task's state field (default: a fresh mjarchive-<uuid>, used to find the task if the answer is lost)."
  )
  var state: String?

  func validate() throws {
    if let state, state.isEmpty || state.utf8.count > 1_000 {
      throw ValidationError("--state must be 1 to 1000 bytes")
    }
  }
}
