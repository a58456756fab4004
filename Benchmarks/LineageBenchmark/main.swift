import ArchiveStore
import Foundation

// In-process lineage reads on an existing archive, as a library caller (the gallery) sees them: the
// first call on a fresh connection (cold page cache) and the median of the next ten.
// Usage: LineageBenchmark ARCHIVE_DIR TASK_ID…

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: LineageBenchmark ARCHIVE_DIR TASK_ID…\n".utf8))
  exit(2)
}
let store = try ArchiveStore(readingFrom: URL(fileURLWithPath: arguments[0]))

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func report(_ label: String, _ body: () throws -> Void) rethrows {
  let cold = try milliseconds(body)
  let warm = try (0..<10).map { _ in try milliseconds(body) }.sorted()[5]
  print(String(format: "| %@ | %.1f | %.1f |", label, cold, warm))
}

print("| in-process call | first call ms | median of next 10 ms |")
print("|---|---:|---:|")
for id in arguments.dropFirst() {
  var nodes = 0
  try report("family(of: \(id))") { nodes = try store.family(of: id).nodes.count }
  try report("details(id: \(id)) (show)") { _ = try store.details(id: id) }
  print("| (family size \(nodes)) | | |")
}
