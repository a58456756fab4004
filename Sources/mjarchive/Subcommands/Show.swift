import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive show <id>` command.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Everything about one task: fields, parameters, buttons, files, parent, children and root.")

    @Argument(help: "The task id.")
    var id: String

    @Flag(help: "Print the task's JSON exactly as the gateway sent it.")
    var json = false

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      try Validation.taskID(id)
    }

    func run() throws {
      let store = try archive.openForReading()
      let details = try reportingStoreErrors { () throws(StoreError) in try store.details(id: id) }
      if json {
        guard let raw = details.task?.raw else {
          Console.err("mjarchive: task \(id) is known but not fetched yet: `mjarchive sync` fetches it")
          throw ExitCode.failure
        }
        Console.out(bytes: raw)
        if raw.last != 0x0A { Console.out("") }
        return
      }
      Console.out(bytes: Data(details.text.utf8))
    }
  }
}
