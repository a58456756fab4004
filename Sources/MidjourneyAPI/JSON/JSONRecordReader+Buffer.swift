import Foundation

extension JSONRecordReader {
  // MARK: - Buffer

  func skipWhiteSpace() throws(ReadError) {
    while try ensure(cursor) {
      let byte = buffer[cursor]
      guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
      advance(to: cursor + 1)
    }
  }

  func advance(to index: Int) {
    line += newlines(in: cursor..<index)
    cursor = index
  }

  func newlines(in range: Range<Int>) -> Int {
    guard !range.isEmpty else { return 0 }
    return buffer.withUnsafeBufferPointer { bytes in
      var count = 0
      for index in range where bytes[index] == 0x0A { count += 1 }
      return count
    }
  }

  /// Drops bytes before `cursor` once they fill a chunk, keeping the buffer near one chunk plus one record.
  func discardConsumedBytes() {
    guard cursor >= chunkSize else { return }
    // Keep the current line's start, so indentation can still be measured.
    var keep = cursor
    while keep > 0, buffer[keep - 1] != 0x0A, cursor - keep < 256 { keep -= 1 }
    bufferStartsLine = keep == 0 ? bufferStartsLine : buffer[keep - 1] == 0x0A
    buffer.removeSubrange(0..<keep)
    cursor -= keep
  }

  /// True when `buffer[index]` exists, reading more input as needed.
  func ensure(_ index: Int) throws(ReadError) -> Bool {
    while index >= buffer.count {
      guard !endOfInput else { return false }
      try fill()
    }
    return true
  }

  func fill() throws(ReadError) {
    switch source {
    case .bytes(let data):
      let consumed = readFromData
      guard consumed < data.count else {
        endOfInput = true
        return
      }
      let end = min(data.count, consumed + chunkSize)
      buffer.append(contentsOf: data[(data.startIndex + consumed)..<(data.startIndex + end)])
      readFromData = end
    case .descriptor(let descriptor):
      let oldCount = buffer.count
      buffer.append(contentsOf: repeatElement(0, count: chunkSize))
      var count = 0
      repeat {
        count = buffer.withUnsafeMutableBytes { bytes in
          guard let base = bytes.baseAddress else { return 0 }
          return read(descriptor, base + oldCount, chunkSize)
        }
      } while count < 0 && errno == EINTR
      guard count >= 0 else {
        buffer.removeSubrange(oldCount...)
        throw ReadError(reason: String(cString: strerror(errno)))
      }
      buffer.removeSubrange((oldCount + count)...)
      if count == 0 { endOfInput = true }
    }
  }
}
