import ArchiveStore
import ArgumentParser
import FileExport
import Gallery
import ObjectStorage
import Sync

/// The one line and exit code a command gives for a failure the library targets (or a usage check) threw.
struct CommandFailure: Sendable {
  let message: String
  let exitCode: Int32

  init(_ error: any Error) {
    switch error {
    case let error as S3Error: (message, exitCode) = (error.description, error.exitCode)
    case let error as StoreError: (message, exitCode) = (error.description, error.exitCode)
    case let error as SyncError: (message, exitCode) = (error.description, error.exitCode)
    case let error as GalleryError: (message, exitCode) = (error.description, error.exitCode)
    case let error as FileExportError: (message, exitCode) = (error.description, error.exitCode)
    case let error as ValidationError: (message, exitCode) = (error.message, 2)
    case let error as CustomStringConvertible: (message, exitCode) = (error.description, 1)
    default: (message, exitCode) = (String(describing: error), 1)
    }
  }

  /// Runs `body`; what it throws is printed as one line and becomes the exit to throw.
  @discardableResult
  static func reporting<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw CommandFailure(error).reported()
    }
  }

  /// Prints the line on stderr and gives the exit to throw.
  func reported() -> ExitCode {
    Console.err("mjarchive: \(message)")
    return ExitCode(exitCode)
  }
}
