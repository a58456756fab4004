import ArchiveStore
import Foundation
import MidjourneyAPI

// Ingest rate and query latency of the archive at growing sizes, with the stock sqlite3 shell
// running the same FTS5 queries on the same database as the floor.
// Usage: StoreBenchmark [sizes…] [--ingest-only]   (default 10000 100000 1000000)

let sizes = CommandLine.arguments.dropFirst().compactMap(Int.init)
/// `--ingest-only` skips the queries (for profiling the ingest path).
let ingestOnly = CommandLine.arguments.contains("--ingest-only")
let targets = sizes.isEmpty ? [10_000, 100_000, 1_000_000] : sizes
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-bench-\(getpid())")
try? FileManager.default.removeItem(at: directory)
defer { try? FileManager.default.removeItem(at: directory) }
let store = try ArchiveStore(directory: directory)
var synthetic = SyntheticTasks()
var stored = 0
var ingestSeconds = 0.0

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ values: [Double], _ p: Double) -> Double {
  let sorted = values.sorted()
  return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Mean time per query of the sqlite3 shell running the same SQL, in one process.
func sqliteShellMean(_ queries: [String], sort: String) throws -> Double {
  let script = queries.map { query -> String in
    let match = ArchiveStore.matchExpression(for: query).replacingOccurrences(of: "'", with: "''")
    return "SELECT t.id FROM tasks_fts JOIN tasks t ON t.seq = tasks_fts.rowid WHERE tasks_fts MATCH '\(match)' ORDER BY \(sort) LIMIT 20;"
  }.joined(separator: "\n")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
  process.arguments = [directory.appendingPathComponent("archive.sqlite").path]
  let input = Pipe()
  process.standardInput = input
  process.standardOutput = FileHandle.nullDevice
  let elapsed = try seconds {
    try process.run()
    input.fileHandleForWriting.write(Data(script.utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
  }
  return elapsed / Double(queries.count)
}

/// Prints a line at once, so a long run shows each size as it finishes.
func emit(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

emit("| tasks | ingest tasks/s | newest p50 ms | newest p99 ms | sqlite3 newest mean ms | relevance p50 ms | relevance p99 ms | sqlite3 relevance mean ms |")
emit("|---:|---:|---:|---:|---:|---:|---:|---:|")
for target in targets {
  while stored < target {
    let batch = (stored..<min(target, stored + 10_000)).map { synthetic.task($0) }
    ingestSeconds += try seconds { _ = try store.store(batch) }
    stored += batch.count
  }
  if ingestOnly {
    emit(String(format: "| %d | %.0f | | | | | | |", target, Double(stored) / ingestSeconds))
    continue
  }
  let queries = (0..<1_000).map { _ in synthetic.query() }
  var results: [String: [Double]] = [:]
  for sort in [SearchQuery.Sort.newest, .relevance] {
    for text in queries {
      var query = SearchQuery(text: text)
      query.sort = sort
      query.limit = 20
      let elapsed = try seconds { _ = try store.search(query) }
      results[sort.rawValue, default: []].append(elapsed * 1000)
    }
  }
  let newest = results["newest"] ?? []
  let relevance = results["relevance"] ?? []
  let shellNewest = try sqliteShellMean(queries, sort: "tasks_fts.rowid DESC") * 1000
  let shellRelevance = try sqliteShellMean(queries, sort: "bm25(tasks_fts, 4.0, 2.0, 1.0, 0.5, 0.5, 3.0)") * 1000
  emit(
    String(
      format: "| %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", target, Double(stored) / ingestSeconds,
      percentile(newest, 0.5), percentile(newest, 0.99), shellNewest, percentile(relevance, 0.5),
      percentile(relevance, 0.99), shellRelevance))
}
