import ArgumentParser
import Foundation

/// The `mjarchive` command: parses arguments, calls the library targets, prints.
@main
struct MJArchive: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mjarchive",
    abstract: "Archive, search and browse your Midjourney work done through a midjourney-proxy style gateway.",
    discussion: """
      Configuration: MJ_BASE_URL (gateway URL), MJ_API_KEY or --api-key-file (never printed), \
      MJ_MODE (fast, relax, turbo, none or /prefix). Exit codes: 0 ok, 1 failure, 2 usage, \
      3 gateway refused (key, quota, banned prompt), 4 another sync holds the lock.
      """,
    version: "0.1.0",
    subcommands: [
      Imagine.self, Blend.self, Describe.self, Shorten.self, Action.self, Modal.self,
      Track.self, Import.self, SyncCommand.self, Schedule.self, Search.self, Show.self, Lineage.self,
      Similar.self, Duplicates.self, Stats.self,
      ListenCommand.self, Reindex.self, Verify.self, MigrateImages.self, Split.self, ExportGallery.self,
      ExportFiles.self, Datasette.self,
      RunSimulator.self, Demo.self,
    ]
  )

  /// Runs the command, turning usage errors into exit code 2 (ArgumentParser's default is 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        Console.err(fullMessage(for: error))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
