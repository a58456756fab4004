import Foundation
import GridImage

// The floors of a split: decoding a grid alone, and encoding its four quadrants alone (from
// pixels already in memory), each the median of five runs.
// Usage: [LEVEL=n] [STRATEGY=n] [FILTERS=mask] [MEMLEVEL=n] SplitBenchmark GRID.png [--single-thread]

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first else {
  FileHandle.standardError.write(Data("usage: SplitBenchmark GRID.png [--single-thread]\n".utf8))
  exit(2)
}
let concurrent = !arguments.contains("--single-thread")

func median(_ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  return times.sorted()[2]
}

let reader = try PNGReader(path: path)
let pixels = try reader.readImage()
let decode = try median {
  let fresh = try PNGReader(path: path)
  _ = try fresh.readImage()
}
/// Encodes the four quadrants of `pixels`; returns the median time and the bytes written.
func encodeQuadrants(
  _ pixels: [UInt8], width fullWidth: Int, height fullHeight: Int, rowBytes: Int, bytesPerPixel: Int,
  colorType: PNGColorType, bitDepth: Int, concurrent: Bool
) -> (Double, Int) {
  let left = fullWidth / 2
  let top = fullHeight / 2
  nonisolated(unsafe) var sizes = [0, 0, 0, 0]
  let work: @Sendable (Int) -> Void = { quadrant in
    let x0 = quadrant % 2 == 0 ? 0 : left
    let y0 = quadrant < 2 ? 0 : top
    let width = quadrant % 2 == 0 ? left : fullWidth - left
    let height = quadrant < 2 ? top : fullHeight - top
    // LEVEL, STRATEGY (0 default, 1 filtered, 2 huffman, 3 RLE), FILTERS (libpng mask) and MEMLEVEL try other encodings.
    let environment = ProcessInfo.processInfo.environment
    let standard = PNGEncodingOptions.standard
    let options = PNGEncodingOptions(
      compressionLevel: environment["LEVEL"].flatMap { Int32($0) } ?? standard.compressionLevel,
      strategy: environment["STRATEGY"].flatMap { Int32($0) }.flatMap(PNGEncodingOptions.Strategy.init) ?? standard.strategy,
      filterMask: environment["FILTERS"].flatMap { Int32($0) } ?? standard.filterMask,
      memoryLevel: environment["MEMLEVEL"].flatMap { Int32($0) } ?? standard.memoryLevel)
    guard let writer = try? PNGWriter(width: width, height: height, colorType: colorType, bitDepth: bitDepth, options: options) else { return }
    pixels.withUnsafeBytes { bytes in
      let start = UnsafeRawBufferPointer(rebasing: bytes[(y0 * rowBytes + x0 * bytesPerPixel)...])
      try? writer.writeRows(start, count: height, stride: rowBytes)
    }
    sizes[quadrant] = (try? writer.finishInMemory().count) ?? 0
  }
  let time = median {
    if concurrent {
      DispatchQueue.concurrentPerform(iterations: 2) { side in
        work(side)
        work(side + 2)
      }
    } else {
      (0..<4).forEach(work)
    }
  }
  return (time, sizes.reduce(0, +))
}

let (encode, total) = encodeQuadrants(
  pixels, width: reader.width, height: reader.height, rowBytes: reader.rowBytes, bytesPerPixel: reader.bytesPerPixel,
  colorType: reader.colorType, bitDepth: reader.bitDepth, concurrent: concurrent)
print(String(format: "decode only: %.0f ms; encode only (4 quadrants%@): %.0f ms, %d bytes", decode, concurrent ? ", 2 threads" : "", encode, total))

// What perceptual hashing adds to sync's split and thumbnails (issue 27: under 5%): a split and a 256-pixel
// thumbnail of each quadrant, as sync makes them, beside the hashing work alone on the same thumbnails' pixels
// (their grey, the 64×64 samples, the grid's tiled from them, and both hashes of the five pictures).
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("split-bench-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
let splitAndThumbnails = try median {
  let quadrants = try GridSplitter(concurrent: concurrent).split(path, into: scratch, baseName: "grid")
  for (index, quadrant) in quadrants.enumerated() {
    try Thumbnailer().thumbnail(of: quadrant.path, maxEdge: 256, to: scratch.appendingPathComponent("t\(index).png"))
  }
}
let thumbnails = try (0..<4).map { index -> (Int, Int, [UInt8]) in
  let thumbnail = try PNGReader(path: scratch.appendingPathComponent("t\(index).png").path, normalized: true)
  return (thumbnail.width, thumbnail.height, try thumbnail.readImage())
}
nonisolated(unsafe) var hashes: [UInt64] = []
let hashing = median {
  let samples = thumbnails.map { width, height, bytes in
    GreyImage(width: width, height: height, channels: 3, bytes: bytes).resized(width: 64, height: 64)
  }
  let grid = GreyImage.grid(samples).map { [$0] } ?? []
  hashes = (samples + grid).flatMap { [PerceptualHash.pHash($0), PerceptualHash.dHash($0)] }
}
print(
  String(
    format: "split + 4 thumbnails: %.1f ms; hashing on their pixels (5 pictures, %d hashes): %.2f ms, %.2f%%",
    splitAndThumbnails, hashes.count, hashing, 100 * hashing / splitAndThumbnails))
