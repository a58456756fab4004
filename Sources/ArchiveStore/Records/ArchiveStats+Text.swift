import Basics
import Foundation

extension ArchiveStats {
  /// What `stats` prints for the archive at `archive`, one count a line.
  public func text(archive: String) -> String {
    var lines: [String] = []
    lines.append("archive        \(archive)")
    lines.append("tasks          \(tasks) (\(unfetched) more known but not fetched)")
    lines.append(
      "by action      " + byAction.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
    lines.append(
      "by status      " + byStatus.map { "\($0.0) \($0.1)" }.joined(separator: ", ").singleLine(limit: 500))
    lines.append("size on disk   " + ByteCountFormatter.string(fromByteCount: archiveBytes, countStyle: .file))
    if let newest = newestTaskId {
      lines.append("newest task    \(newest)" + (newestSubmitTime.map { " (\(DateText.utc($0)))" } ?? ""))
    }
    lines.append("without images \(withoutImages)")
    if pendingSubmits > 0 {
      lines.append("lost submits   \(pendingSubmits) (`mjarchive track --pending` looks for their tasks)")
    }
    if callbacks != CallbackCounts() {
      lines.append("callbacks      " + callbacks.named.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
    }
    for (index, run) in lastRuns.enumerated() {
      let counts = run.counts
      let bytes = ByteCountFormatter.string(fromByteCount: Int64(counts.bytesDownloaded), countStyle: .file)
      lines.append(
        (index == 0 ? "last syncs     " : "               ")
          + "\(DateText.utc(run.startedAt)) \(run.status): \(counts.tasksFetched) tasks, \(counts.imagesDownloaded) images (\(bytes)), \(counts.failed) failed"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
