import Foundation
import Listen
import Testing

@Suite("Hook token and hint")
struct HookTokenTests {
  @Test("The archive's token is made once, kept 0600, and never shown by description")
  func madeOnce() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-token-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try HookToken.archiveToken(in: folder)
    let second = try HookToken.archiveToken(in: folder)
    #expect(first.value == second.value)
    #expect(first.value.count == 43)
    let mode =
      try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("listen.token").path)[
        .posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(!"\(first)".contains(first.value))
    #expect(first.matches(Array(first.value.utf8)))
    #expect(!first.matches(Array(first.value.utf8.dropLast())))
    #expect(!first.matches(Array((first.value + "x").utf8)))
  }

  @Test("A link planted as listen.token is refused, never read through")
  func plantedLink() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-token-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let secret = folder.appendingPathComponent("secret")
    try Data("sk-abcdefghijklmnopqrstuvwxyz0123456789".utf8).write(to: secret)
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("listen.token"), withDestinationURL: secret)
    #expect(throws: ListenError.self) { try HookToken.kept(in: folder) }
    #expect(throws: ListenError.self) { try HookToken.archiveToken(in: folder) }
  }

  @Test("A token file with a short or unsafe token is refused with a way to make one")
  func badTokenFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-token-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    for text in ["short", "has spaces in it and is long enough", "../../../../etc/passwd/and/more"] {
      try Data(text.utf8).write(to: file)
      #expect(throws: ListenError.self) { try HookToken.read(file: file.path) }
    }
    try Data("abcdefghijklmnopqrstuvwxyz0123456789\nsecond line".utf8).write(to: file)
    #expect(try HookToken.read(file: file.path).value == "abcdefghijklmnopqrstuvwxyz0123456789")
  }

  @Test("A hint takes only a valid id and whether the status is final")
  func hints() {
    let sample = Data(#"{"id":14001934816969359,"status":"IN_PROGRESS","progress":"50%"}"#.utf8)
    #expect(CallbackHint(body: sample) == CallbackHint(taskId: "14001934816969359", saysFinished: false))
    #expect(CallbackHint(body: Data(#"{"id":"x1","status":"FAILURE"}"#.utf8))?.saysFinished == true)
    #expect(CallbackHint(body: Data(#"{"id":"a/b","status":"SUCCESS"}"#.utf8)) == nil)
    #expect(CallbackHint(body: Data("<html>".utf8)) == nil)
  }
}
