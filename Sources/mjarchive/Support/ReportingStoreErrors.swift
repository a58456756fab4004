import ArchiveStore
import ArgumentParser

/// Runs archive work, printing a `StoreError` as one line and exiting 1.
func reportingStoreErrors<T>(_ body: () throws(StoreError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    Console.err("mjarchive: \(error.description)")
    throw ExitCode.failure
  }
}
