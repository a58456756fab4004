import Foundation
import TestSupport
import Testing

/// Shell completions come from argument-parser's own generator, so they follow the commands as they change.
@Suite struct ShellSupportTests {
  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptsNameEveryCommand(shell: String) async throws {
    let outcome = try await CommandRunner.run(["--generate-completion-script", shell])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    for command in ["imagine", "sync", "search", "lineage", "export-gallery", "demo"] {
      #expect(outcome.stdout.contains(command), "\(shell) completions lack \(command)")
    }
  }

  /// Bash itself loads the script and completes a command name and an option, as it would at a prompt.
  @Test func bashCompletesCommandsAndOptions() async throws {
    let script = try await CommandRunner.run(["--generate-completion-script", "bash"]).stdout
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-completion-\(UUID()).bash")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(script.utf8).write(to: file)
    func complete(_ words: [String]) throws -> [String] {
      let line = words.joined(separator: " ")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [
        "-c",
        """
        source "$0"; COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=($1); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _mjarchive mjarchive "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; printf '%s\\n' "${COMPREPLY[@]}"
        """,
        file.path, line,
      ]
      let outcome = try ProcessOutcome.run(process, input: nil)
      #expect(outcome.status == 0, "\(outcome.stderr)")
      return outcome.stdout.split(separator: "\n").map(String.init)
    }
    #expect(try complete(["mjarchive", "export-g"]) == ["export-gallery"])
    #expect(try complete(["mjarchive", "export-gallery", "--pa"]) == ["--page-size"])
    #expect(try complete(["mjarchive", "lin"]) == ["lineage"])
  }
}
