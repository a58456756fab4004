import Foundation

/// Dates as printed: UTC with its `Z`, the same zone `--since`/`--until` read.
public enum DateText {
  /// One formatter, behind a lock: a formatter is not safe to share between threads unguarded.
  private static let formatter = Locked<DateFormatter>(
    {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "UTC")
      formatter.dateFormat = "yyyy-MM-dd HH:mm'Z'"
      return formatter
    }())

  /// Unix milliseconds as `2026-03-01 14:05Z`.
  public static func utc(_ milliseconds: Int64) -> String {
    formatter.withLock { $0.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)) }
  }
}
