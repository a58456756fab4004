import Foundation

/// Output files written under a temporary name in the same folder and renamed into place only
/// when complete, so a crash or an error never leaves a half-written file under the real name.
public struct AtomicOutput: Sendable {
  /// The real name, given on `commit()`.
  public let final: URL
  /// Where the file is written until then.
  public let temporary: URL

  /// Plans an output at `final`; nothing is created yet.
  public init(_ final: URL) {
    self.final = final
    let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    temporary = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).\(unique).tmp")
  }

  /// Moves the finished temporary file to its real name.
  public func commit() throws(GridImageError) {
    if rename(temporary.path, final.path) != 0 {
      throw GridImageError.cannotWrite(path: final.path, reason: String(cString: strerror(errno)))
    }
  }

  /// Removes the temporary file, if any.
  public func discard() {
    unlink(temporary.path)
  }
}
