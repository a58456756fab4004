import ArchiveStore
import Crypto
import Foundation
import GridImage
import TestSupport
import Testing

/// `mjarchive export-files` as a user runs it: its summary line, a re-run, and a layout it refuses.
@Suite struct ExportFilesCommandTests {
  @Test func exportsThenFindsNothingToDoThenRefusesABadLayout() async throws {
    let archive = try SampleArchive()
    let folder = archive.galleryFolder()
    let arguments = ["export-files", folder.path, "--archive", archive.directory.path]
    let first = try await CommandRunner.run(arguments)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout == "2 files: 2 with metadata, 0 linked, 0 copied, 0 unchanged, 0 removed\n")
    let again = try await CommandRunner.run(arguments + ["--no-metadata", "--sidecars"])
    #expect(again.stdout == "4 files: 0 with metadata, 2 linked, 0 copied, 2 sidecars, 0 unchanged, 0 removed\n")
    let refused = try await CommandRunner.run(arguments + ["--layout", "../{id}.{ext}"])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("--layout \"../{id}.{ext}\" cannot be used: it holds . or .., which leave the folder"))
    let hostile = try await CommandRunner.run(arguments + ["--layout", "{owner}/{id}"])
    #expect(hostile.status == 2)
    #expect(hostile.stderr.contains("{owner} is not a field"))
  }

  /// A disk that refuses the write (here a file size limit, as a full disk would): one line, exit 1, no half file,
  /// and what was written before is known to the next run.
  @Test func aRefusedWriteGivesOneLineAndNoHalfFile() async throws {
    let archive = try SampleArchive()
    // 512×512 of noise: about 770 KB, beyond the 200 KB the launcher allows a file.
    let side = 512
    let writer = try PNGWriter(width: side, height: side, colorType: .rgb)
    try writer.writeRows((0..<side * side * 3).map { _ in UInt8.random(in: 0...255) }, count: side)
    let picture = try writer.finishInMemory()
    let sha = SHA256.hash(data: picture).map { String(format: "%02x", $0) }.joined()
    let path = "images/originals/\(sha.prefix(2))/\(sha).png"
    try FileManager.default.createDirectory(
      at: archive.directory.appendingPathComponent(path).deletingLastPathComponent(), withIntermediateDirectories: true)
    try picture.write(to: archive.directory.appendingPathComponent(path))
    try archive.store.recordFiles(
      [StoredFile(kind: .original, path: path, sha256: sha, format: "PNG", bytes: picture.count)],
      taskId: SampleArchive.upscale, split: .notDecoded)
    let folder = archive.galleryFolder()
    let arguments = ["export-files", folder.path, "--archive", archive.directory.path]
    let refused = try await CommandRunner.run(
      arguments, launcher: ["/bin/sh", "-c", "ulimit -f 400; trap '' XFSZ; exec \"$0\" \"$@\""])
    #expect(refused.status == 1)
    #expect(refused.stderr.hasPrefix("mjarchive: ") && refused.stderr.contains("File too large"), "\(refused.stderr)")
    #expect(refused.stderr.split(separator: "\n").count == 1)
    let left = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
    #expect(!left.contains { $0.hasSuffix(".tmp") }, "\(left)")
    #expect(left.filter { $0.hasSuffix(".png") }.count == 1, "\(left)")  // the grid, written before
    let again = try await CommandRunner.run(arguments)
    #expect(again.stdout == "2 files: 1 with metadata, 0 linked, 0 copied, 1 unchanged, 0 removed\n", "\(again.stderr)")
  }
}
