import ArgumentParser

/// `--wait` and how to poll.
struct WaitOptions: ParsableArguments {
  @Flag(help: "Poll the task until it is finished (progress bar on a terminal, quiet otherwise).")
  var wait = false

  @Option(parsing: .unconditional, help: "Seconds between the first polls; the interval grows while nothing changes.")
  var pollInterval: Double = 1

  @Option(parsing: .unconditional, help: "Give up waiting after this many seconds.")
  var waitTimeout: Int = 900

  func validate() throws {
    guard pollInterval >= 0.05, pollInterval <= 600 else {
      throw ValidationError("--poll-interval must be between 0.05 and 600 seconds")
    }
    guard waitTimeout >= 1 else { throw ValidationError("--wait-timeout must be at least 1 second") }
  }
}
