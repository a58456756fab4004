import Foundation

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Dates as pages show them, in the exporting machine's time zone (`TZ`).
///
/// Formatted from `localtime_r` by hand: a `DateFormatter` costs microseconds a call, and an export formats
/// hundreds of thousands of dates.
struct DisplayDate: Sendable {
  private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
  private static let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]

  /// The time zone dates are shown in (pages are rewritten when it changes).
  static var zoneName: String { TimeZone.current.identifier }

  /// `{iso, text}` for a `<time>` element (`2026-03-01T14:05:09+01:00`, `2026-03-01 14:05`), or nil without a time.
  func moment(_ milliseconds: Int64?) -> [String: Any]? {
    guard let milliseconds else { return nil }
    let time = Self.local(milliseconds)
    let offset = time.tm_gmtoff
    let sign = offset < 0 ? "-" : "+"
    let zone = "\(sign)\(Self.two(Int(abs(offset) / 3600))):\(Self.two(Int(abs(offset) % 3600 / 60)))"
    let day = Self.day(of: time)
    let clock = "\(Self.two(Int(time.tm_hour))):\(Self.two(Int(time.tm_min)))"
    return ["iso": "\(day)T\(clock):\(Self.two(Int(time.tm_sec)))\(zone)", "text": "\(day) \(clock)"]
  }

  /// The day a task was made, as `(key: 2026-03-01, label: Sunday, 1 March 2026)`; undated tasks share one group.
  func day(_ milliseconds: Int64?) -> (key: String, label: String) {
    guard let milliseconds else { return ("", "Undated") }
    let time = Self.local(milliseconds)
    let label =
      "\(Self.weekdays[Int(time.tm_wday) % 7]), \(time.tm_mday) \(Self.months[Int(time.tm_mon) % 12]) "
      + "\(Int(time.tm_year) + 1900)"
    return (Self.day(of: time), label)
  }

  private static func local(_ milliseconds: Int64) -> tm {
    var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
    var result = tm()
    localtime_r(&seconds, &result)
    return result
  }

  private static func day(of time: tm) -> String {
    let year = Int(time.tm_year) + 1900
    let paddedYear = year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - String(year).count) : ""
    return "\(paddedYear)\(year)-\(two(Int(time.tm_mon) + 1))-\(two(Int(time.tm_mday)))"
  }

  private static func two(_ value: Int) -> String {
    value < 10 ? "0\(value)" : String(value)
  }
}
