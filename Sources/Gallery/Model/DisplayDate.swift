import Foundation

/// Dates as pages show them, in the exporting machine's time zone.
struct DisplayDate {
  private let time: DateFormatter
  private let day: DateFormatter
  private let iso: ISO8601DateFormatter

  init(timeZone: TimeZone = .current) {
    time = DateFormatter()
    time.locale = Locale(identifier: "en_US_POSIX")
    time.timeZone = timeZone
    time.dateFormat = "yyyy-MM-dd HH:mm"
    day = DateFormatter()
    day.locale = Locale(identifier: "en_US_POSIX")
    day.timeZone = timeZone
    day.dateFormat = "EEEE, d MMMM yyyy"
    iso = ISO8601DateFormatter()
    iso.timeZone = timeZone
  }

  /// `{iso, text}` for a `<time>` element, or nil without a time.
  func moment(_ milliseconds: Int64?) -> [String: Any]? {
    guard let milliseconds else { return nil }
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    return ["iso": iso.string(from: date), "text": time.string(from: date)]
  }

  /// The day a task was made, as `(key: 2026-03-01, label: Sunday, 1 March 2026)`; undated tasks share one group.
  func day(_ milliseconds: Int64?) -> (key: String, label: String) {
    guard let milliseconds else { return ("", "Undated") }
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    return (String(iso.string(from: date).prefix(10)), day.string(from: date))
  }
}
