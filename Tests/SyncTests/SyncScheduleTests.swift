import Testing

@testable import Sync

@Suite struct SyncScheduleTests {
  @Test(arguments: [("15m", "*/15 * * * *"), ("1m", "*/1 * * * *"), ("2h", "7 */2 * * *"), ("1d", "7 3 * * *")])
  func intervalsBecomeCronFields(every: String, fields: String) throws {
    #expect(try SyncSchedule(every: every).cronFields == fields)
  }

  @Test(arguments: ["0m", "60m", "24h", "2d", "15", "m", "-5m", "15 m"])
  func unusableIntervalsAreRefused(every: String) {
    #expect(throws: ScheduleError.interval(every)) { try SyncSchedule(every: every) }
  }

  private func command(archive: String = "/home/me/My Archive", logFile: String? = nil) throws -> ScheduledCommand {
    try ScheduledCommand(
      executable: "/usr/local/bin/mjarchive", archive: archive, baseURL: "https://gw.example", timeoutSeconds: 30,
      mode: nil, proxy: nil, apiKeyFile: nil, logFile: logFile, maxDurationMinutes: 14)
  }

  @Test func installingTwiceLeavesOneLineAndKeepsTheOthers() throws {
    let schedule = try SyncSchedule(every: "15m")
    let line = schedule.cronLine(try command())
    #expect(
      line
        == "*/15 * * * * /usr/local/bin/mjarchive sync --archive '/home/me/My Archive' --base-url https://gw.example "
        + "--timeout 30 --max-duration 14m --log-file '/home/me/My Archive/sync.log' # mjarchive sync: /home/me/My Archive"
    )
    let mine = "MAILTO=me\n0 1 * * * backup\n"
    let once = SyncSchedule.crontab(mine, setting: line, archive: "/home/me/My Archive")
    let twice = SyncSchedule.crontab(once.text, setting: line, archive: "/home/me/My Archive")
    #expect(twice.text == mine + line + "\n")
    #expect(once.removed == 0 && twice.removed == 1)
    let other = SyncSchedule.crontab(
      twice.text, setting: schedule.cronLine(try command(archive: "/home/me/B")), archive: "/home/me/B")
    #expect(other.text.split(separator: "\n").count == 4)
    let removed = SyncSchedule.crontab(other.text, setting: nil, archive: "/home/me/My Archive")
    #expect(removed.removed == 1 && !removed.text.contains("My Archive"))
    #expect(SyncSchedule.crontab(twice.text, setting: nil, archive: "/home/me/My Archive") == (mine, 1))
    #expect(SyncSchedule.crontab(mine, setting: nil, archive: "/home/me/My Archive").removed == 0)
  }

  @Test func listenRunsAtBootBesideTheSyncLineAndIsRemovedAlone() throws {
    let sync = try SyncSchedule(every: "15m").cronLine(try command())
    let listen = SyncSchedule.rebootLine(try command().listening(bind: "127.0.0.1", port: 8787))
    #expect(
      listen
        == "@reboot /usr/local/bin/mjarchive listen --archive '/home/me/My Archive' --base-url https://gw.example "
        + "--timeout 30 --bind 127.0.0.1 --port 8787 --log-file '/home/me/My Archive/sync.log' "
        + "# mjarchive listen: /home/me/My Archive")
    let archive = "/home/me/My Archive"
    let both = SyncSchedule.crontab(
      SyncSchedule.crontab("", setting: sync, archive: archive).text, setting: listen, archive: archive, job: "listen")
    #expect(both.text == sync + "\n" + listen + "\n")
    #expect(SyncSchedule.crontab(both.text, setting: nil, archive: archive, job: "listen") == (sync + "\n", 1))
    let unit = SyncSchedule.listenService(try command().listening(bind: "::1", port: 9000))
    #expect(unit.contains(#"ExecStart="/usr/local/bin/mjarchive" "listen" "--archive" "/home/me/My Archive""#))
    #expect(unit.contains("Restart=on-failure"))
    #expect(throws: ScheduleError.controlCharacter(option: "--bind")) {
      try command().listening(bind: "127.0.0.1\n* * * * * touch /tmp/PWNED", port: 1)
    }
  }

  @Test func aCommentNamingTheArchiveIsNotTakenForItsLine() {
    let table = "# mjarchive sync: /a\n"
    #expect(SyncSchedule.crontab(table, setting: nil, archive: "/a") == (table, 0))
  }

  @Test func percentSignsBackslashesAndQuotesAreWrittenByCronsRules() {
    #expect(ProgramQuoting.shellWord("/tmp/50%'s") == "'/tmp/50%'\\''s'")
    // Debian's cron reads `\%` as `%` and `\\` as `\`: the shell then gets back the single-quoted word.
    #expect(ProgramQuoting.cronCommand(ProgramQuoting.shellWord("/tmp/a\\%b")) == "'/tmp/a\\\\\\%b'")
    #expect(ProgramQuoting.cronCommand("'it'\\''s'") == "'it'\\\\''s'")
  }

  @Test func systemdWordsEscapeSpecifiersVariablesQuotesAndBackslashes() {
    #expect(ProgramQuoting.systemdWord("/tmp/a b%h$HOME\"\\") == "\"/tmp/a b%%h$$HOME\\\"\\\\\"")
  }

  @Test(arguments: ["\n", "\r", "\t", "\u{0}", "\u{7F}", "\u{85}", "\u{2028}", "\u{1B}"])
  func everyValueWithAControlCharacterIsRefusedNamingItsOption(control: String) throws {
    let planted = "/tmp/x\(control)* * * * * touch /tmp/PWNED #"
    #expect(throws: ScheduleError.controlCharacter(option: "--archive")) { try command(archive: planted) }
    #expect(throws: ScheduleError.controlCharacter(option: "--log-file")) { try command(logFile: planted) }
    for (option, make) in [
      ("--base-url", { (v: String) in (v, nil, nil, nil) }), ("--mode", { (v: String) in ("https://gw", v, nil, nil) }),
      ("--proxy", { (v: String) in ("https://gw", nil, v, nil) }),
      ("--api-key-file", { (v: String) in ("https://gw", nil, nil, v) }),
    ] as [(String, (String) -> (String, String?, String?, String?))] {
      let (base, mode, proxy, key) = make(planted)
      #expect(throws: ScheduleError.controlCharacter(option: option)) {
        try ScheduledCommand(
          executable: "/bin/mjarchive", archive: "/a", baseURL: base, timeoutSeconds: 30, mode: mode, proxy: proxy,
          apiKeyFile: key, logFile: nil)
      }
    }
  }

  @Test(arguments: [
    ("https://user:hunter2@gw.example", "https://***@gw.example"),
    ("https://gw.example/?token=hunter2", "https://gw.example/?…"),
  ])
  func aBaseURLWithASecretIsRefusedAndNotShown(url: String, shown: String) throws {
    #expect(throws: ScheduleError.secretInURL(option: "--base-url", shown: shown)) {
      try ScheduledCommand(
        executable: "/bin/mjarchive", archive: "/a", baseURL: url, timeoutSeconds: 30, mode: nil, proxy: nil,
        apiKeyFile: nil, logFile: nil)
    }
    #expect(!ScheduleError.secretInURL(option: "--base-url", shown: shown).description.contains("hunter2"))
  }
}
