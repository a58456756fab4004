import Foundation
import Testing

@testable import MidjourneyAPI

@Suite struct JSONRecordReaderTests {
  /// Reads everything, describing each record as its raw text or "!line: reason".
  private func read(_ text: String, chunkSize: Int = 1 << 20, maximumRecordBytes: Int = 64 << 20) throws -> [String] {
    let reader = JSONRecordReader(data: Data(text.utf8), chunkSize: chunkSize, maximumRecordBytes: maximumRecordBytes)
    var out: [String] = []
    while let record = try reader.next() {
      switch record.result {
      case .success(let (_, raw)): out.append("\(record.line):" + String(decoding: raw, as: UTF8.self))
      case .failure(let failure): out.append("!\(failure.line): \(failure.reason)")
      }
    }
    return out
  }

  @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
  func chunkBoundariesDoNotChangeWhatIsRead(chunkSize: Int) throws {
    let text = "\u{FEFF}[ {\"id\":\"1\",\"p\":\"a]}\\\"\"},\n  {\"id\":\"2\"} ]\n{\"id\":\"3\"}\n\n[{\"id\":\"4\"}]"
    #expect(
      try read(text, chunkSize: chunkSize) == [
        "1:{\"id\":\"1\",\"p\":\"a]}\\\"\"}", "2:{\"id\":\"2\"}", "3:{\"id\":\"3\"}", "5:{\"id\":\"4\"}",
      ])
  }

  @Test func aLineBreakInsideAStringEndsOnlyThatRecord() throws {
    let records = try read("{\"id\":\"1\"}\n{\"id\":\"2\",\"p\":\"open\n{\"id\":\"3\"}\n")
    #expect(records.count == 3)
    #expect(records[0] == "1:{\"id\":\"1\"}")
    #expect(records[1].hasPrefix("!2: invalid JSON"))
    #expect(records[2] == "3:{\"id\":\"3\"}")
  }

  @Test func aMissingBraceResumesAtTheNextRecordLine() throws {
    let records = try read(
      "[\n  {\"id\":\"1\",\"x\":{\"y\":1},\n  {\"id\":\"2\"},\n  {\"id\":\"3\"}\n]\n", chunkSize: 5)
    #expect(records.count == 3)
    #expect(records[0].hasPrefix("!3: invalid JSON"))
    #expect(records[1] == "3:{\"id\":\"2\"}")
    #expect(records[2] == "4:{\"id\":\"3\"}")
  }

  @Test func oversizedRecordsAreReportedAndSkipped() throws {
    let big = "{\"id\":\"1\",\"p\":\"" + String(repeating: "x", count: 5_000) + "\"}"
    let records = try read(big + "\n{\"id\":\"2\"}\n", chunkSize: 100, maximumRecordBytes: 1_000)
    #expect(records.count == 2)
    #expect(records[0].contains("larger than"))
    #expect(records[1] == "2:{\"id\":\"2\"}")
  }

  @Test func aTruncatedArrayKeepsItsWholeElements() throws {
    let records = try read("[{\"id\":\"1\"},{\"id\":\"2\"},{\"id\":")
    #expect(records.count == 3)
    #expect(records[2].contains("end of input"))
  }

  @Test func strayTextIsNamed() throws {
    let records = try read("<html>\n{\"id\":\"1\"}\n]\n")
    #expect(records.count == 3)
    #expect(records[0].contains("'<'"))
    #expect(records[1] == "2:{\"id\":\"1\"}")
    #expect(records[2].contains("']'"))
  }

  /// Regression: each record's line was recounted from the start of the input (quadratic time).
  ///
  /// Reading through a pipe, with memory bounded by the chunk and one record, not by the input.
  @Test func aPipeIsReadInChunksWithLineNumbers() throws {
    let pipe = Pipe()
    let count = 20_000
    let writer = Thread {
      let handle = pipe.fileHandleForWriting
      for index in 1...count { handle.write(Data("{\"id\":\"\(index)\",\"prompt\":\"fox\"}\n".utf8)) }
      try? handle.close()
    }
    writer.start()
    let reader = JSONRecordReader(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, chunkSize: 4_096)
    var seen = 0
    while let record = try reader.next() {
      seen += 1
      #expect(record.line == seen)
      if case .failure = record.result { Issue.record("record \(seen) failed") }
    }
    #expect(seen == count)
  }
}
