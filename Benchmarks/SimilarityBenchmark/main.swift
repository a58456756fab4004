import ArchiveStore
import Foundation

// Finding by picture at scale (issue 27): `HashIndex.nearest` over N stored pictures (target: p50 < 20 ms at 1M
// on 2 cores) and `duplicateGroups` over N (target: < 10 s at 1M). The hashes are random, with one picture in ten
// a near copy of the one before it (0–8 bits flipped), so groups exist to be found.
// Usage: SimilarityBenchmark [N]   (default 1000000)
//        SimilarityBenchmark hash < PATHS   (see hashFiles)

if CommandLine.arguments.dropFirst().first == "hash" {
  try hashFiles()
  exit(0)
}
let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000
var generator = SystemRandomNumberGenerator()
var images: [HashedImage] = []
images.reserveCapacity(count)
for index in 0..<count {
  var pHash = UInt64.random(in: .min ... .max, using: &generator)
  var dHash = UInt64.random(in: .min ... .max, using: &generator)
  if index % 10 == 9, let before = images.last {
    (pHash, dHash) = (before.hashes.pHash, before.hashes.dHash)
    for _ in 0..<Int.random(in: 0...8, using: &generator) {
      pHash ^= 1 << UInt64.random(in: 0..<64, using: &generator)
      dHash ^= 1 << UInt64.random(in: 0..<64, using: &generator)
    }
  }
  // Ids and paths as long as real ones (17 digits, a quadrant's path).
  let id = String(14_001_934_816_977_278 + index)
  images.append(
    HashedImage(
      taskId: id, kind: "quadrant", part: index % 4 + 1, path: "images/quadrants/\(id)-\(index % 4 + 1).png",
      sha256: String(repeating: "0", count: 48) + String(index, radix: 16).padding(toLength: 16, withPad: "0", startingAt: 0),
      hashes: ImageHashes(dHash: dHash, pHash: pHash)))
}

func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

var start = DispatchTime.now().uptimeNanoseconds
let index = HashIndex(images)
let build = milliseconds(since: start)
var times: [Double] = []
var found = 0
for _ in 0..<200 {
  let query = images[Int.random(in: 0..<count, using: &generator)].hashes
  start = DispatchTime.now().uptimeNanoseconds
  found += index.nearest(to: query, by: .phash, maxDistance: 10, limit: 10).count
  times.append(milliseconds(since: start))
}
times.sort()
print(
  String(
    format: "%d pictures: index built in %.0f ms; similar (pHash, 10 bits, 200 queries): p50 %.2f ms, p99 %.2f ms, "
      + "%.1f found a query", count, build, times[100], times[197], Double(found) / 200))
for distance in [6, 10] {
  start = DispatchTime.now().uptimeNanoseconds
  let groups = index.duplicateGroups(by: .phash, maxDistance: distance)
  print(
    String(
      format: "duplicates at %d bits: %.2f s, %d groups of %d pictures", distance, milliseconds(since: start) / 1000,
      groups.count, groups.reduce(0) { $0 + $1.members.count }))
}
let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
print(status.split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? "")
