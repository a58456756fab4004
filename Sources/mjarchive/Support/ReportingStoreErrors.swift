import ArchiveStore
import ArgumentParser

/// Runs archive work, printing a `StoreError` as one line and exiting with its code.
func reportingStoreErrors<T>(_ body: () throws(StoreError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    Console.err("mjarchive: \(error.description)")
    throw ExitCode(error.exitCode)
  }
}
