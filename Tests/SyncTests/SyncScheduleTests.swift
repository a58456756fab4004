import Testing

@testable import Sync

@Suite struct SyncScheduleTests {
  @Test(arguments: [("15m", "*/15 * * * *"), ("1m", "*/1 * * * *"), ("2h", "7 */2 * * *"), ("1d", "7 3 * * *")])
  func intervalsBecomeCronFields(every: String, fields: String) throws {
    #expect(try SyncSchedule(every: every).cronFields == fields)
  }

  @Test(arguments: ["0m", "60m", "24h", "2d", "15", "m", "-5m", "15 m"])
  func unusableIntervalsAreRefused(every: String) {
    #expect(throws: ScheduleError.self) { try SyncSchedule(every: every) }
  }

  @Test func installingTwiceLeavesOneLineAndKeepsTheOthers() throws {
    let schedule = try SyncSchedule(every: "15m")
    let line = schedule.cronLine(
      command: ["/usr/local/bin/mjarchive", "sync", "--archive", "/home/me/My Archive"], archive: "/home/me/My Archive")
    #expect(
      line
        == "*/15 * * * * /usr/local/bin/mjarchive sync --archive '/home/me/My Archive' # mjarchive sync: /home/me/My Archive"
    )
    let mine = "MAILTO=me\n0 1 * * * backup\n"
    let once = SyncSchedule.crontab(mine, setting: line, archive: "/home/me/My Archive")
    let twice = SyncSchedule.crontab(once, setting: line, archive: "/home/me/My Archive")
    #expect(twice == mine + line + "\n")
    let other = SyncSchedule.crontab(
      twice, setting: line.replacingOccurrences(of: "My Archive", with: "B"), archive: "/home/me/B")
    #expect(other.split(separator: "\n").count == 4)
    #expect(SyncSchedule.crontab(other, setting: nil, archive: "/home/me/My Archive").contains("My Archive") == false)
    #expect(SyncSchedule.crontab(twice, setting: nil, archive: "/home/me/My Archive") == mine)
  }

  @Test func percentSignsAndQuotesAreSafeForCron() {
    #expect(SyncSchedule.shellQuoted("/tmp/50%'s") == "'/tmp/50\\%'\\''s'")
  }
}
