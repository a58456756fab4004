import Foundation

/// Writing to the terminal: data to stdout, messages and progress to stderr.
///
/// Plain `write(2)` rather than FileHandle, whose write traps on a closed pipe (`mjarchive … | head`).
enum Console {
  /// True when stderr is a terminal, so a progress bar is wanted (never under cron).
  static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

  static func out(_ line: String) {
    write(line + "\n", to: STDOUT_FILENO)
  }

  /// Writes bytes to stdout exactly as given.
  static func out(bytes: Data) {
    write(bytes, to: STDOUT_FILENO)
  }

  static func err(_ text: String, newline: Bool = true) {
    write(newline ? text + "\n" : text, to: STDERR_FILENO)
  }

  private static func write(_ text: String, to descriptor: Int32) {
    write(Data(text.utf8), to: descriptor)
  }

  private static func write(_ data: Data, to descriptor: Int32) {
    var bytes = [UInt8](data)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        // The reader went away (a closed pipe): nobody is listening, so stop quietly.
        if errno == EPIPE && descriptor == STDOUT_FILENO { exit(0) }
        return
      }
      bytes = bytes.dropFirst(written)
    }
  }
}
