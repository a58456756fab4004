import Foundation
import Sync
import Testing

@testable import Listen

@Suite("Pass gate")
struct PassGateTests {
  @Test("The lock is held from the first pass's start to the last one's end, and refused while another holds it")
  func oneHoldForOverlappingPasses() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mjarchive-gate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let gate = PassGate(directory: folder)
    #expect(try gate.enter(["1", "2"]))
    #expect(try gate.enter(["3"]) == false)
    #expect(gate.passes == 2)
    #expect(gate.busy == ["1", "2", "3"])
    #expect(throws: SyncError.self) { _ = try SyncLock.acquire(in: folder) }
    gate.leave(["1", "2"])
    #expect(gate.busy == ["3"])
    #expect(throws: SyncError.self) { _ = try SyncLock.acquire(in: folder) }
    gate.leave(["3"])
    #expect(gate.passes == 0)
    // Let go: another process may sync now, and while it does the gate refuses to start a pass.
    var other: SyncLock? = try SyncLock.acquire(in: folder)
    let refused = #expect(throws: SyncError.self) { _ = try gate.enter(["4"]) }
    guard case .locked = refused else { Issue.record("not refused as locked: \(String(describing: refused))"); return }
    #expect(gate.passes == 0 && gate.busy.isEmpty)
    withExtendedLifetime(other) { other = nil }
    #expect(try gate.enter(["4"]))
  }
}
