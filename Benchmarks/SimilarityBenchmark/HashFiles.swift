import Foundation
import ArchiveStore
import GridImage
import Sync

/// `SimilarityBenchmark hash`: the pHash and dHash of each PNG named on stdin (one path a line), as `reindex
/// --hashes` makes them, printed as `path<TAB>phash<TAB>dhash` in hex; on stderr, the images a second on one core
/// beside the rate of decoding the same files alone (every row read, nothing made of it).
func hashFiles() throws {
  var paths: [String] = []
  while let line = readLine() { if !line.isEmpty { paths.append(line) } }
  var output = ""
  let hashing = try seconds {
    for path in paths {
      let hashes = ImageHashes(sample: try Thumbnailer().sample(of: path))
      output += path + "\t" + hex(hashes.pHash) + "\t" + hex(hashes.dHash) + "\n"
    }
  }
  let decoding = try seconds {
    for path in paths {
      let reader = try PNGReader(path: path, normalized: true)
      if reader.isInterlaced {
        _ = try reader.readImage()
        continue
      }
      var rows = [UInt8](repeating: 0, count: reader.rowBytes * 32)
      var done = 0
      while done < reader.height {
        let count = min(32, reader.height - done)
        try rows.withUnsafeMutableBytes { try reader.readRows(into: $0, count: count, stride: reader.rowBytes) }
        done += count
      }
    }
  }
  FileHandle.standardOutput.write(Data(output.utf8))
  FileHandle.standardError.write(
    Data(
      String(
        format: "%d files: hashed %.1f a second, decoded alone %.1f a second (one core)\n", paths.count,
        Double(paths.count) / hashing, Double(paths.count) / decoding
      ).utf8))
}

private func hex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}

private func seconds(_ work: () throws -> Void) throws -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try work()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
