import ArchiveStore
import Foundation

/// What `repair` does per task, worked out from a verify report before anything is changed.
struct RepairPlan {
  /// Rows to delete, by task: damaged or missing files, so the image pass makes them again.
  var forget: [String: [StoredFile]] = [:]
  /// Grids to split again from their stored original.
  var resplit: Set<String> = []
  /// Tasks to fetch again for a fresh image link (their original is damaged or missing).
  var refetch: Set<String> = []
  /// Every task with work to do.
  var tasks: Set<String> = []
  /// Damaged originals moved to `images/damaged/` (relative path), with the tasks that named them.
  var parked: [String: [String]] = [:]

  /// Plans the repair, moving each damaged original aside so that a fresh download can take its name.
  init(_ report: VerifyReport, files: ArchiveFiles) throws(SyncError) {
    let byTask = Dictionary(grouping: report.records, by: \.taskId)
    for problem in report.problems where ![.stray, .parked, .link, .damagedCache].contains(problem.kind) {
      tasks.formUnion(problem.taskIds)
      if problem.kind == .noOriginal {
        refetch.formUnion(problem.taskIds)
        continue
      }
      if problem.kind == .incomplete {
        for taskId in problem.taskIds
        where byTask[taskId]?.contains(where: { $0.file.kind == .original && $0.isGrid }) == true {
          resplit.insert(taskId)
        }
        continue
      }
      // A damaged object stays in the bucket until a good copy is uploaded over it.
      if problem.kind == .damaged, problem.objectKey == nil,
        problem.taskIds.contains(where: { taskId in
          byTask[taskId]?.contains { $0.file.path == problem.path && $0.file.kind == .original } == true
        })
      {
        parked[try Self.park(problem.path, taskId: problem.taskIds.first ?? "unknown", files: files)] = problem.taskIds
      }
      for taskId in problem.taskIds {
        let rows = byTask[taskId] ?? []
        let isGrid = rows.contains { $0.file.kind == .original && $0.isGrid }
        for row in rows where row.file.path == problem.path {
          if row.file.kind == .original {
            forget[taskId, default: []].append(row.file)
            refetch.insert(taskId)
          } else if isGrid {
            forget[taskId, default: []].append(row.file)
            resplit.insert(taskId)
          } else {
            // A single image's thumbnails are made together: forget them all so the pass makes them again.
            forget[taskId, default: []] += rows.filter { $0.file.kind == .thumbnail }.map(\.file)
          }
        }
      }
    }
  }

  /// Moves a damaged file to `images/damaged/<task id>.<name>`, under a name not yet taken there (never through a
  /// link): the task in its name lets a later repair remove it once that task's image is home, even after a kill.
  private static func park(_ path: String, taskId: String, files: ArchiveFiles) throws(SyncError) -> String {
    let name = (path as NSString).lastPathComponent
    do {
      try files.owned.folder("images/damaged", mode: 0o700)
      var target = "images/damaged/\(taskId).\(name)"
      var attempt = 1
      while try files.owned.status(target) != nil {
        attempt += 1
        target = "images/damaged/\(taskId).\(attempt).\(name)"
      }
      try files.owned.move(path, to: target)
      return target
    } catch {
      throw SyncError.files("cannot move the damaged \(path) aside: \(error.description)")
    }
  }
}
