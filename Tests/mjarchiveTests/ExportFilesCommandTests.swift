import Foundation
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
}
