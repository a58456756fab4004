import ArchiveStore
import Foundation
import MidjourneyAPI

extension SyncEngine {
  /// Reads the gateway's whole task list and stores it: streamed into a scratch file (named nowhere, so nothing
  /// outlives the run) and read back record by record in batches, so a list of any size costs a batch of memory.
  func discover(_ tally: SyncTally, files: ArchiveFiles) async {
    do {
      let scratch = try files.owned.temporaryFile(in: "", hint: "task-list", mode: 0o600)
      files.owned.detach(scratch)
      defer { close(scratch.descriptor) }
      await tally.request()
      guard try await client.downloadTaskList(into: scratch.descriptor, maximumBytes: options.maximumTaskListBytes)
      else { return }
      lseek(scratch.descriptor, 0, SEEK_SET)
      let reader = JSONRecordReader(fileDescriptor: scratch.descriptor)
      var batch: [GatewayTask] = []
      var found = DiscoveryReport()
      let now = Int(Date().timeIntervalSince1970)
      defer { tally.update { $0.discovery = found } }
      func flush() throws(StoreError) {
        guard !batch.isEmpty else { return }
        let outcomes = try store.store(batch)
        try store.track(batch.map(\.id), source: "list")
        tally.stored(outcomes)
        batch.removeAll(keepingCapacity: true)
      }
      while let record = try reader.next() {
        switch record.result {
        case .success(let element):
          do throws(GatewayError) {
            let task = try GatewayTask(json: element.value, raw: element.raw)
            guard TaskID.isValid(task.id) else { throw GatewayError.invalidTaskID(task.id) }
            found.count(task, now: now, gateway: client.configuration.baseURL)
            if let since = options.discoverSince, (task.submitTime ?? 0) < since {
              found.skippedAsOlder += 1
              continue
            }
            batch.append(task)
          } catch {
            let id = element.value["id"]?.textValue.flatMap { TaskID.isValid($0) ? $0 : nil }
            tally.fail(id, "the task list holds an entry that cannot be read: \(error.description)")
          }
        case .failure(let failure):
          tally.fail(nil, "the task list holds an entry that cannot be read: \(failure.description)")
        }
        if batch.count == 1_000 { try flush() }
      }
      try flush()
    } catch {
      tally.absorb(error, taskId: nil, context: "the task list cannot be read")
    }
  }
}
