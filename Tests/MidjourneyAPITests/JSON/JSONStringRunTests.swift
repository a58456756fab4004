import Testing

@testable import MidjourneyAPI

/// The word-at-a-time string scan must stop exactly where a byte-at-a-time one does.
@Suite struct JSONStringRunTests {
  /// What the scan must find, said plainly: the first quote, backslash or control character, and
  /// whether everything before it is ASCII.
  static func reference(_ bytes: [UInt8], from start: Int) -> (end: Int, ascii: Bool) {
    let end = bytes[start...].firstIndex { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
    let run = bytes[start..<(end ?? bytes.count)]
    return (end ?? bytes.count, run.allSatisfy { $0 < 0x80 })
  }

  @Test func stopsWhereAByteAtATimeScanStops() {
    // Each kind of byte that matters, and neighbours of the thresholds the word tests use.
    let stops: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F]
    let plain: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xFF, 0x41]
    var checked = 0
    for length in 0...40 {
      for stopAt in [nil] + (0..<length).map(Optional.some) {
        for (seed, stop) in stops.enumerated() {
          var bytes = (0..<length).map { plain[($0 * 7 + seed + length) % plain.count] }
          if let stopAt { bytes[stopAt] = stop }
          for start in [0, min(3, length)] {
            let found = bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: start) }
            let expected = Self.reference(bytes, from: start)
            #expect(found.end == expected.end, "bytes \(bytes) from \(start)")
            #expect(found.ascii == expected.ascii, "bytes \(bytes) from \(start)")
            checked += 1
          }
        }
      }
    }
    #expect(checked > 8_000)
  }

  @Test func anAllASCIIRunEndsAtTheEnd() {
    let bytes = Array("a long plain prompt of several words, --ar 16:9 --v 6.1".utf8)
    let found = bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: 0) }
    #expect(found.end == bytes.count)
    #expect(found.ascii)
  }
}
