import Basics
import Foundation
import MidjourneyAPI

/// The user's crontab, read and written through Debian's `crontab` command.
public enum UserCrontab {
  /// Reads the table, changes it and writes it back; returns what `change` returned besides the text.
  ///
  /// - Throws: `ScheduleError.crontab` when `crontab` cannot be run or refuses the new table.
  public static func edit<Result>(_ change: (String) throws(ScheduleError) -> (text: String, result: Result))
    throws(ScheduleError) -> Result
  {
    let current = try run(["-l"], input: nil)
    // `crontab -l` exits 1 with "no crontab for …" when there is none yet.
    let (text, result) = try change(current.status == 0 ? current.output : "")
    let written = try run(["-"], input: text)
    guard written.status == 0 else {
      throw .crontab("crontab refused the new table: \(written.error.singleLine(limit: 300))")
    }
    return result
  }

  /// Runs `crontab` from `/`: a child started in the caller's folder fails before it starts when that folder is one
  /// the user cannot enter (a private checkout, `sudo -u` from a home folder).
  private static func run(_ arguments: [String], input: String?) throws(ScheduleError) -> (
    status: Int32, output: String, error: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["crontab"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: "/")
    let output = Pipe()
    let error = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    do {
      try process.run()
    } catch {
      throw .crontab("cannot run crontab through /usr/bin/env: \(error.localizedDescription)")
    }
    if let input {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try? stdin.fileHandleForWriting.close()
    }
    // Standard error is read on another thread while standard output is read here: a child that fills one pipe
    // while the other is read to its end would wait for ever.
    let errorData = Locked(Data())
    let errorRead = DispatchGroup()
    errorRead.enter()
    DispatchQueue.global().async {
      let data = error.fileHandleForReading.readDataToEndOfFile()
      errorData.withLock { $0 = data }
      errorRead.leave()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    errorRead.wait()
    process.waitUntilExit()
    if process.terminationStatus == 127 {
      throw .crontab("there is no crontab command here: apt-get install cron")
    }
    return (
      process.terminationStatus, String(decoding: out, as: UTF8.self),
      String(decoding: errorData.withLock { $0 }, as: UTF8.self)
    )
  }
}
