import ArchiveStore
import Foundation

/// A small archive made once per process: the real sample tasks, so queries can match.
private let store: ArchiveStore = {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-fuzz-\(getpid())")
  try? FileManager.default.removeItem(at: folder)
  do {
    let store = try ArchiveStore(directory: folder)
    let samples = ProcessInfo.processInfo.environment["MJARCHIVE_SAMPLES"] ?? "../shared/api/samples"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: samples)) ?? [] where name.hasPrefix("task-") {
      _ = try? store.importTasks(from: URL(fileURLWithPath: samples).appendingPathComponent(name).path)
    }
    return store
  } catch {
    fatalError("cannot make the fuzzing archive: \(error)")
  }
}()

/// One fuzzing input: what a user types into `search`, through the FTS query rewriter and SQLite.
///
/// Beyond "never crashes": the answer is hits or a query error the user can act on, never another
/// kind of database error (which would mean the rewriter produced SQL-level damage).
///
/// Also exported as `LLVMFuzzerTestOneInput`, the name libFuzzer's runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSearchQuery(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: start, count: start == nil ? 0 : count), as: UTF8.self)
  do {
    _ = try store.search(SearchQuery(text: text))
  } catch .invalidQuery, .queryTooLong {
    return 0
  } catch {
    fatalError("a query gave \(error)")
  }
  return 0
}
