import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import MidjourneyAPI
import Sync

extension MJArchive {
  /// The `mjarchive track <id>…` and `mjarchive track --pending` commands.
  struct Track: GatewayCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Add task ids made elsewhere, for sync to fetch; --pending finds tasks of submits whose answer was lost.",
      discussion: """
        Every submit is recorded before it is sent, with a state value the gateway keeps in the task. When \
        the answer never arrived (a timeout, a cut connection, Ctrl-C), --pending looks each such submit up \
        in the gateway's task list by that state and links the task; one still missing after a day is \
        reported as not found.
        """)

    @Argument(help: "Task ids.")
    var ids: [String] = []

    @Flag(help: "Look up submits whose answer was lost in the gateway's task list (needs the gateway).")
    var pending = false

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !ids.isEmpty || pending else { throw ValidationError("give at least one task id, or --pending") }
      for id in ids { try Validation.taskID(id) }
    }

    func run() async throws {
      let store = try archive.open()
      if !ids.isEmpty {
        let added = try reportingStoreErrors { () throws(StoreError) in try store.track(ids) }
        Console.out("tracking \(ids.count) task\(ids.count == 1 ? "" : "s") (\(added) new)")
      }
      guard pending else { return }
      let waiting = try reportingStoreErrors { () throws(StoreError) in try store.pendingSubmissions() }
      guard !waiting.isEmpty else {
        Console.out("no submits are waiting to be found")
        return
      }
      var failure: SyncError?
      try await withClient { client throws(GatewayError) in
        do throws(SyncError) {
          let report = try await SubmissionReconciler(client: client, store: store).reconcile()
          for (submission, taskId) in report.found {
            Console.out(
              "found task \(taskId) for the \(submission.route) sent at \(DateText.utc(submission.sentAt)) (state \(submission.state))"
            )
          }
          for submission in report.stillPending {
            Console.out(
              "not listed yet: the \(submission.route) sent at \(DateText.utc(submission.sentAt)) (state \(submission.state))"
            )
          }
          for submission in report.notFound {
            Console.out(
              "not found after a day, given up: the \(submission.route) sent at \(DateText.utc(submission.sentAt)) (state \(submission.state))"
            )
          }
        } catch {
          failure = error
        }
      }
      if let failure {
        Console.err("mjarchive: \(failure.description)")
        throw ExitCode(failure.exitCode)
      }
    }
  }
}
