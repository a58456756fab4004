/// Quoting a value for the program that will read it: the shell, cron and systemd each by their own rules.
///
/// Callers refuse control characters first (`ScheduledCommand`); these functions make every other character
/// mean itself.
public enum ProgramQuoting {
  /// One word for `sh`: bare when it holds only characters no shell treats specially, else single-quoted (a `'`
  /// becomes `'\''`).
  public static func shellWord(_ word: String) -> String {
    let safe = word.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "_", "-", ":", "=", ",", "@", "+": true
      default: false
      }
    }
    if safe && !word.isEmpty { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The command field of a crontab line, by Debian cron's rules: an unescaped `%` becomes a line break (what
  /// follows goes to standard input), `\%` gives `%` and `\\` gives `\`; so every backslash is doubled and every
  /// `%` escaped. (Seen with Debian 12's cron: `'c\\d'` reached the shell as `'c\d'`.)
  public static func cronCommand(_ shellText: String) -> String {
    shellText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
  }

  /// One word of a systemd `ExecStart=`: double-quoted, with C-style escapes for `\` and `"`, `%%` for systemd's
  /// specifiers and `$$` for its variable expansion.
  public static func systemdWord(_ word: String) -> String {
    var quoted = "\""
    for character in word {
      switch character {
      case "\\": quoted += "\\\\"
      case "\"": quoted += "\\\""
      case "%": quoted += "%%"
      case "$": quoted += "$$"
      default: quoted.append(character)
      }
    }
    return quoted + "\""
  }

  /// True when `text` holds a character that ends or splits a line in any of these programs: C0 and C1 controls,
  /// DEL, and the Unicode line and paragraph separators.
  public static func hasControlCharacter(_ text: String) -> Bool {
    text.unicodeScalars.contains { scalar in
      let value = scalar.value
      return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }
  }
}
