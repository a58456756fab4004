import Foundation

/// Dates as printed: UTC with its `Z`, the same zone `--since`/`--until` read.
enum DateText {
  /// One formatter for every row printed (commands print from one thread).
  private static let formatter: DateFormatter = {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm'Z'"
    return formatter
  }()

  /// Unix milliseconds as `2026-03-01 14:05Z`.
  static func utc(_ milliseconds: Int64) -> String {
    formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
  }
}
