import Foundation

/// Reads JSON records one at a time from a file, a pipe or bytes in memory, in linear time and
/// bounded memory whatever the input's size.
///
/// A record is an element of a top-level array or a top-level value of a sequence (JSON lines,
/// pretty-printed objects back to back, several arrays one after another). A damaged record does
/// not stop the rest: reading resumes at the next line that starts a record the way the last good
/// one did (same indentation, then `{`), so every complete record before and after the damage is
/// kept. A raw line break inside a string ends the record there, as JSON strings cannot hold one.
/// Separators between records are not checked: a missing comma between array elements loses nothing.
public final class JSONRecordReader {
  /// One record: its value and exact bytes, or why it could not be read.
  public struct Record: Sendable {
    /// 1-based position among the records read.
    public var number: Int
    /// 1-based line where the record starts.
    public var line: Int
    /// The value and its exact bytes, or what is wrong with it.
    public var result: Result<(value: JSONValue, raw: Data), Failure>
  }

  /// Why a record could not be read.
  public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
    /// 1-based line where the problem was found.
    public var line: Int
    public var reason: String

    public var description: String { "\(reason) (line \(line))" }
  }

  /// Why the input could not be read at all.
  public struct ReadError: Error, CustomStringConvertible, Sendable, Equatable {
    public var reason: String
    public var description: String { reason }
  }

  /// The largest record accepted; a larger one is reported and skipped.
  public let maximumRecordBytes: Int
  let chunkSize: Int
  let source: Source
  var buffer: [UInt8] = []
  /// Index in `buffer` of the next byte to read.
  var cursor = 0
  /// Line number at `cursor`.
  var line = 1
  var endOfInput = false
  var insideArray = false
  var recordsRead = 0
  /// Indentation of the last good record's first line: where to resume after damage.
  var recordIndent: Int?
  /// True once a byte other than white space was seen.
  public private(set) var sawContent = false
  var startedReading = false
  /// Bytes of `.bytes` input copied into the buffer so far.
  var readFromData = 0
  /// Whether `buffer[0]` is the first byte of a line (false once a long line was partly discarded).
  var bufferStartsLine = true

  enum Source {
    case bytes(Data)
    case descriptor(Int32)
  }

  /// Reads records from bytes in memory.
  public init(data: Data, chunkSize: Int = 1 << 20, maximumRecordBytes: Int = 64 << 20) {
    self.source = .bytes(data)
    self.chunkSize = max(1, chunkSize)
    self.maximumRecordBytes = maximumRecordBytes
  }

  /// Reads records from an open file descriptor (a file, a pipe, standard input), which the caller closes.
  public init(fileDescriptor: Int32, chunkSize: Int = 1 << 20, maximumRecordBytes: Int = 64 << 20) {
    self.source = .descriptor(fileDescriptor)
    self.chunkSize = max(1, chunkSize)
    self.maximumRecordBytes = maximumRecordBytes
  }

  /// The next record, or nil at the end of the input.
  ///
  /// - Throws: `ReadError` when reading the input fails (not for damaged records, which are returned).
  public func next() throws(ReadError) -> Record? {
    if !startedReading {
      startedReading = true
      if try ensure(2), buffer.starts(with: [0xEF, 0xBB, 0xBF]) { cursor = 3 }
    }
    while true {
      discardConsumedBytes()
      try skipWhiteSpace()
      guard try ensure(cursor) else {
        if insideArray {
          insideArray = false
          recordsRead += 1
          let failure = Failure(line: line, reason: "the input ends inside an array (missing ']')")
          return Record(number: recordsRead, line: line, result: .failure(failure))
        }
        return nil
      }
      sawContent = true
      let byte = buffer[cursor]
      if insideArray {
        if byte == UInt8(ascii: "]") {
          advance(to: cursor + 1)
          insideArray = false
          continue
        }
        if byte == UInt8(ascii: ",") {
          advance(to: cursor + 1)
          continue
        }
      } else if byte == UInt8(ascii: "[") {
        advance(to: cursor + 1)
        insideArray = true
        continue
      } else if byte == UInt8(ascii: ",") {
        advance(to: cursor + 1)
        continue
      }
      return try readRecord()
    }
  }

  // MARK: - Records

  func readRecord() throws(ReadError) -> Record {
    let start = cursor
    let startLine = line
    recordsRead += 1
    let number = recordsRead
    let extent = try scanValue(from: start)
    switch extent {
    case .tooLarge:
      let failure = Failure(line: startLine, reason: "the record is larger than \(maximumRecordBytes >> 20) MB")
      try resynchronize(from: start + 1)
      return Record(number: number, line: startLine, result: .failure(failure))
    case .complete(let end), .broken(let end):
      let bytes = Array(buffer[start..<end])
      do throws(JSONParseError) {
        let value = try JSONParser.parse(bytes: bytes)
        if case .broken = extent {
          throw JSONParseError(offset: end - start, reason: "line break inside a string", atEnd: false)
        }
        recordIndent = indentation(before: start)
        advance(to: end)
        return Record(number: number, line: startLine, result: .success((value, Data(bytes))))
      } catch {
        let errorIndex = start + min(error.offset, bytes.count)
        let errorLine = startLine + newlines(in: start..<errorIndex)
        let failure = Failure(line: errorLine, reason: "invalid JSON: \(error.reason)")
        try resynchronize(from: max(errorIndex, start + 1))
        return Record(number: number, line: startLine, result: .failure(failure))
      }
    }
  }

  enum Extent {
    /// The value ends before this index.
    case complete(end: Int)
    /// The value cannot be whole: a raw line break inside a string, or the input ended.
    case broken(end: Int)
    case tooLarge
  }

  /// Finds where the value starting at `start` ends, by brackets and strings alone (the parser checks the rest).
  func scanValue(from start: Int) throws(ReadError) -> Extent {
    var index = start
    var depth = 0
    var inString = false
    var escaped = false
    let first = buffer[start]
    let isScalar = first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"")
    while true {
      guard try ensure(index) else { return isScalar ? .complete(end: index) : .broken(end: index) }
      if index - start > maximumRecordBytes { return .tooLarge }
      let found: Extent? = buffer.withUnsafeBufferPointer { bytes in
        while index < bytes.count {
          if inString && !escaped {
            // Most of a record is inside strings: skip to the next byte that matters, a word at a time.
            // Only a line break among control characters ends a record here (the parser refuses the rest).
            var position = JSONStringRun.end(in: bytes, from: index).end
            while position < bytes.count, bytes[position] < 0x20, bytes[position] != 0x0A {
              position = JSONStringRun.end(in: bytes, from: position + 1).end
            }
            index = position
            guard index < bytes.count else { break }
          }
          let byte = bytes[index]
          if inString {
            if escaped {
              escaped = false
            } else if byte == UInt8(ascii: "\\") {
              escaped = true
            } else if byte == UInt8(ascii: "\"") {
              inString = false
              if depth == 0 { return .complete(end: index + 1) }
            } else if byte == 0x0A {
              return .broken(end: index)
            }
          } else if isScalar {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
              // A stray closing bracket is a record of its own, so the parser names it.
              return index == start ? .broken(end: index + 1) : .complete(end: index)
            default: break
            }
          } else {
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
              depth -= 1
              if depth == 0 { return .complete(end: index + 1) }
            default: break
            }
          }
          index += 1
          if index - start > maximumRecordBytes { return .tooLarge }
        }
        return nil
      }
      if let found { return found }
    }
  }

  /// Moves to the next line that starts a record the way the last good one did, at or after `index`.
  func resynchronize(from index: Int) throws(ReadError) {
    defer {
      // Damage that runs to the end of the input was reported already: no second report for the array.
      if endOfInput && cursor >= buffer.count { insideArray = false }
    }
    if isRecordStart(index) {
      advance(to: index)
      return
    }
    advance(to: index)
    while true {
      discardConsumedBytes()
      // Find the next line break.
      while true {
        guard try ensure(cursor) else { return }
        if let newline = buffer[cursor...].firstIndex(of: 0x0A) {
          advance(to: newline + 1)
          break
        }
        advance(to: buffer.count)
        discardConsumedBytes()
      }
      var probe = cursor
      while try ensure(probe), buffer[probe] == 0x20 || buffer[probe] == 0x09 { probe += 1 }
      guard try ensure(probe) else { return }
      if buffer[probe] == UInt8(ascii: "{"), recordIndent == nil || recordIndent == probe - cursor {
        advance(to: probe)
        return
      }
    }
  }

  /// True when `index` holds a `{` that opens its line with the indentation records have.
  func isRecordStart(_ index: Int) -> Bool {
    guard index < buffer.count, buffer[index] == UInt8(ascii: "{") else { return false }
    guard let indent = indentation(before: index) else { return false }
    return recordIndent == nil || recordIndent == indent
  }

  /// How many spaces or tabs stand between the line's start and `index`, or nil when other bytes do.
  func indentation(before index: Int) -> Int? {
    var probe = index
    while probe > 0 {
      let byte = buffer[probe - 1]
      if byte == 0x0A { return index - probe }
      guard byte == 0x20 || byte == 0x09 else { return nil }
      probe -= 1
    }
    return bufferStartsLine ? index - probe : nil
  }

}
