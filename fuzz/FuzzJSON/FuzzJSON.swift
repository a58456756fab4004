import Foundation
import MidjourneyAPI

/// One fuzzing input: the JSON parser on one value, then the record reader on a sequence.
///
/// Beyond "never crashes", a value that parses must serialize and parse back to itself, every record
/// the reader keeps must parse on its own to the same value, and the reader must finish (never more
/// records than bytes).
///
/// Also exported as `LLVMFuzzerTestOneInput`, the name libFuzzer's runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  if let value = try? JSONParser.parse(data) {
    guard let again = try? JSONParser.parse(Data(value.serialized().utf8)), again == value else {
      fatalError("a parsed value did not survive serialized() and a second parse")
    }
  }
  // A small chunk size puts record and buffer boundaries everywhere.
  let reader = JSONRecordReader(data: data, chunkSize: 7, maximumRecordBytes: 4096)
  var records = 0
  while let record = try? reader.next() {
    records += 1
    guard records <= count + 2 else { fatalError("the record reader does not finish") }
    if case .success(let good) = record.result {
      guard let alone = try? JSONParser.parse(good.raw), alone == good.value else {
        fatalError("a record's raw bytes do not parse to its value")
      }
    }
  }
  return 0
}
