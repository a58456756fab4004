import Foundation

/// Splits a 2×2 grid PNG into its four quadrants, streaming: while one band of rows is encoded
/// (its left and right halves at the same time, on two threads) the next band is decoded, so
/// memory stays near two bands and both cores stay busy.
///
/// Quadrants are numbered as Midjourney's U1–U4: 1 top-left, 2 top-right, 3 bottom-left,
/// 4 bottom-right. They keep the source's color type, bit depth, palette, transparency and color
/// chunks, its text chunks, and get `extraText` added.
public struct GridSplitter: Sendable {
  public var options: PNGEncodingOptions
  public var limits: PNGLimits
  /// Encode left and right halves on two threads.
  public var concurrent: Bool

  public init(options: PNGEncodingOptions = .standard, limits: PNGLimits = .standard, concurrent: Bool = true) {
    self.options = options
    self.limits = limits
    self.concurrent = concurrent
  }

  /// Rows decoded at a time.
  private static let bandRows = 64

  /// Splits `source` into `directory/<baseName>-1.png` … `-4.png`.
  ///
  /// Each file is written under a temporary name, fsynced, and renamed only when all four are
  /// complete; on any error none of them is left behind and the source is untouched.
  ///
  /// - Returns: The four files in quadrant order.
  /// - Throws: `GridImageError` naming the problem.
  public func split(
    _ source: String, into directory: URL, baseName: String, extraText: (Int) -> [PNGTextChunk] = { _ in [] }
  ) throws(GridImageError) -> [URL] {
    let reader = try PNGReader(path: source, limits: limits)
    guard reader.width >= 2, reader.height >= 2 else {
      throw GridImageError.tooSmall(path: source, width: reader.width, height: reader.height)
    }
    let leftWidth = GridGeometry.leftWidth(reader.width)
    let topHeight = GridGeometry.topHeight(reader.height)
    let outputs = (1...4).map { AtomicOutput(directory.appendingPathComponent("\(baseName)-\($0).png")) }
    var committed: [AtomicOutput] = []
    do throws(GridImageError) {
      let inherited = reader.textChunks.filter { !$0.key.hasPrefix("mjarchive ") }
      func writer(_ quadrant: Int) throws(GridImageError) -> PNGWriter {
        let width = quadrant % 2 == 1 ? leftWidth : reader.width - leftWidth
        let height = quadrant <= 2 ? topHeight : reader.height - topHeight
        return try PNGWriter(
          path: outputs[quadrant - 1].temporary.path, width: width, height: height, like: reader, options: options,
          texts: (inherited + extraText(quadrant)).map { $0.cut() })
      }
      let image = reader.isInterlaced ? try reader.readImage() : nil
      try encodeHalf(
        reader: reader, image: image, rows: 0..<topHeight, left: try writer(1), right: try writer(2),
        leftWidth: leftWidth)
      try encodeHalf(
        reader: reader, image: image, rows: topHeight..<reader.height, left: try writer(3), right: try writer(4),
        leftWidth: leftWidth)
      for output in outputs {
        try output.commit()
        committed.append(output)
      }
      return outputs.map(\.final)
    } catch {
      for output in outputs { output.discard() }
      // A rename that failed half-way: the quadrants already renamed go too, so no stray is left.
      for output in committed { unlink(output.final.path) }
      throw error
    }
  }

  /// Encodes the rows of one half (top or bottom) into its left and right quadrants.
  ///
  /// Two band buffers take turns: while the left and right halves of one band are encoded on two
  /// threads, the calling thread decodes the next band into the other buffer.
  private func encodeHalf(
    reader: PNGReader, image: [UInt8]?, rows: Range<Int>, left: PNGWriter, right: PNGWriter, leftWidth: Int
  ) throws(GridImageError) {
    let stride = reader.rowBytes
    let split = leftWidth * reader.bytesPerPixel
    if let image {
      var failure: GridImageError?
      image.withUnsafeBytes { whole in
        let half = UnsafeRawBufferPointer(rebasing: whole[(rows.lowerBound * stride)...])
        failure = encode(half, count: rows.count, stride: stride, split: split, left: left, right: right)
      }
      if let failure { throw failure }
    } else {
      let bandBytes = Self.bandRows * stride
      let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, 2 * bandBytes), alignment: 16)
      defer { storage.deallocate() }
      let buffers = [
        UnsafeMutableRawBufferPointer(rebasing: storage[0..<bandBytes]),
        UnsafeMutableRawBufferPointer(rebasing: storage[bandBytes..<(2 * bandBytes)]),
      ]
      var current = 0
      var row = rows.lowerBound
      var count = min(Self.bandRows, rows.upperBound - row)
      if count > 0 { try reader.readRows(into: buffers[0], count: count, stride: stride) }
      while count > 0 {
        let nextCount = min(Self.bandRows, rows.upperBound - row - count)
        let pending = encodeLater(
          UnsafeRawBufferPointer(buffers[current]), count: count, stride: stride, split: split, left: left, right: right
        )
        var decodeFailure: GridImageError?
        if nextCount > 0 {
          do throws(GridImageError) {
            try reader.readRows(into: buffers[1 - current], count: nextCount, stride: stride)
          } catch {
            decodeFailure = error
          }
        }
        if let failure = pending() ?? decodeFailure { throw failure }
        row += count
        count = nextCount
        current = 1 - current
      }
    }
    try left.finishFile()
    try right.finishFile()
  }

  /// Starts encoding a band on a worker (or right away on one thread) and returns a function that
  /// waits for it.
  private func encodeLater(
    _ band: UnsafeRawBufferPointer, count: Int, stride: Int, split: Int, left: PNGWriter, right: PNGWriter
  ) -> () -> GridImageError? {
    guard concurrent else {
      let failure = encode(band, count: count, stride: stride, split: split, left: left, right: right)
      return { failure }
    }
    // The band buffer and the writers belong to this band until the caller waits.
    nonisolated(unsafe) let bytes = band
    nonisolated(unsafe) let writers = (left, right)
    let result = Outcome()
    let group = DispatchGroup()
    DispatchQueue.global(qos: .userInitiated).async(group: group) {
      result.failure = self.encode(bytes, count: count, stride: stride, split: split, left: writers.0, right: writers.1)
    }
    return {
      group.wait()
      return result.failure
    }
  }

  /// A worker's outcome, read only after waiting for the worker.
  private final class Outcome: @unchecked Sendable {
    var failure: GridImageError?
  }

  /// Hands a band's left part to one writer and its right part to the other, on two threads when allowed.
  private func encode(
    _ band: UnsafeRawBufferPointer, count: Int, stride: Int, split: Int, left: PNGWriter, right: PNGWriter
  ) -> GridImageError? {
    // Each side touches only its own writer and its own failure slot.
    nonisolated(unsafe) let writers = [left, right]
    nonisolated(unsafe) let failures = UnsafeMutablePointer<GridImageError?>.allocate(capacity: 2)
    failures.initialize(repeating: nil, count: 2)
    defer { failures.deinitialize(count: 2).deallocate() }
    nonisolated(unsafe) let bytes = band
    let work: @Sendable (Int) -> Void = { side in
      let start = side == 0 ? bytes : UnsafeRawBufferPointer(rebasing: bytes[split...])
      do throws(GridImageError) {
        try writers[side].writeRows(start, count: count, stride: stride)
      } catch {
        failures[side] = error
      }
    }
    if concurrent {
      DispatchQueue.concurrentPerform(iterations: 2, execute: work)
    } else {
      work(0)
      work(1)
    }
    return failures[0] ?? failures[1]
  }
}
