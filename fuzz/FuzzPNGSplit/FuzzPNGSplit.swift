import Foundation
import GridImage

/// Where each input is written: memory-backed where the machine has it, as the splitter reads a path.
private let folder: URL = {
  let base =
    FileManager.default.fileExists(atPath: "/dev/shm")
    ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
  let folder = base.appendingPathComponent("mjarchive-fuzz-png-\(getpid())")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}()

/// One fuzzing input: a PNG (or anything) through the grid splitter and the thumbnailer.
///
/// Beyond "never crashes": a split either gives four files or throws and leaves nothing behind.
///
/// Also exported as `LLVMFuzzerTestOneInput`, the name libFuzzer's runtime refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPNGSplit(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let source = folder.appendingPathComponent("input.png")
  let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
  guard (try? bytes.write(to: source)) != nil else { fatalError("cannot write \(source.path)") }
  // Small limits keep each run fast; the limit checks themselves are part of what is fuzzed.
  let limits = PNGLimits(maximumWidth: 2048, maximumHeight: 2048, maximumPixels: 1 << 20, maximumChunkBytes: 1 << 20)
  let splitter = GridSplitter(limits: limits, concurrent: false)
  if let outputs = try? splitter.split(source.path, into: folder, baseName: "grid") {
    guard outputs.count == 4 else { fatalError("a split gave \(outputs.count) files") }
    _ = try? Thumbnailer(limits: limits, durable: false).thumbnail(
      of: outputs[0].path, maxEdge: 64, to: folder.appendingPathComponent("thumb.png"))
  } else {
    let left = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    guard left == ["input.png"] else { fatalError("a failed split left \(left)") }
  }
  for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name != "input.png" {
    unlink(folder.appendingPathComponent(name).path)
  }
  return 0
}
