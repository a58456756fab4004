import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends one line per event to a file, rotating it by size.
///
/// Lines read `2026-11-27T02:30:00Z info downloaded task=1400… bytes=123`. When the file passes
/// `maximumBytes` it is renamed to `<file>.1` (replacing the older one) and a new file is begun,
/// so a cron job that runs for years keeps at most twice that on disk. Nothing it is given holds
/// the API key: sync logs task ids, counts and error sentences, never request headers.
public struct FileLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  public var logLevel: Logger.Level = .info
  private let file: LogFile

  /// Opens (creating, 0600) the log at `path`.
  ///
  /// - Throws: `SyncError.files` when it cannot be opened.
  public init(path: String, maximumBytes: Int = 5 << 20) throws(SyncError) {
    file = try LogFile(path: path, maximumBytes: maximumBytes)
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var fields = metadata
    if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
    if let extra = event.metadata { fields.merge(extra) { $1 } }
    let pairs = fields.keys.sorted().map { "\($0)=\(Self.flat(fields[$0]?.description ?? ""))" }
    let line =
      ([ISO8601DateFormatter().string(from: Date()), event.level.rawValue, Self.flat(event.message.description)] + pairs)
      .joined(separator: " ")
    file.append(line + "\n")
  }

  /// One line, whatever the text held.
  private static func flat(_ text: String) -> String {
    String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
  }

  /// The open file, shared by copies of the handler.
  private final class LogFile: Sendable {
    let path: String
    let maximumBytes: Int
    private let descriptor: Mutex<Int32>

    init(path: String, maximumBytes: Int) throws(SyncError) {
      self.path = path
      self.maximumBytes = maximumBytes
      // Never through a link: one planted as sync.log in the archive would have cron append to the file it names.
      let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
      guard opened >= 0 else {
        if errno == ELOOP {
          throw SyncError.files("the log file \(path) is a symbolic link, which is not followed: remove it")
        }
        throw SyncError.files("cannot open the log file \(path): \(String(cString: strerror(errno)))")
      }
      descriptor = Mutex(opened)
    }

    func append(_ line: String) {
      descriptor.withLock { descriptor in
        var status = stat()
        if fstat(descriptor, &status) == 0, Int(status.st_size) + line.utf8.count > maximumBytes {
          rename(path, path + ".1")
          let reopened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
          if reopened >= 0 {
            close(descriptor)
            descriptor = reopened
          }
        }
        _ = line.withCString { write(descriptor, $0, strlen($0)) }
      }
    }

    deinit {
      descriptor.withLock { _ = close($0) }
    }
  }
}
