import ArchiveStore
import ArgumentParser
import Basics
import Foundation
import GatewayHTTP
import MidjourneyAPI
import Sync

extension MJArchive {
  /// The `mjarchive verify` command.
  struct Verify: GatewayCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check the archive: database integrity, search index, every image against its SHA-256, strays.",
      discussion: """
        Runs SQLite's integrity check and FTS5's, re-hashes every stored image against the SHA-256 recorded \
        for it, and lists rows without files, files without rows (and temporary files of killed runs), and \
        split grids missing quadrants or thumbnails. One line per problem on stdout. With --repair: strays \
        are removed, damaged or missing originals are downloaded again after refetching their task for a \
        fresh link (a damaged file is kept in images/damaged/ until a good copy is home), quadrants and \
        thumbnails are made again from the original, and the search index is rebuilt; a damaged database \
        is never touched. For an archive that keeps its images in a bucket, every row's object is checked by \
        its size (--deep downloads and re-hashes each), objects no row names are listed, and the local cache's \
        copies are hashed; --repair uploads missing or damaged objects again from the cache (or downloads them \
        again through the gateway) and deletes the objects no row names. \
        Exit 0 all well (or all repaired), 1 problems found (or left), 4 a sync is running.
        """)

    @Flag(help: "Repair what is found (needs the gateway for images that must be downloaded again).")
    var repair = false

    @Option(parsing: .unconditional, help: "Requests in flight at once while repairing (1–32).")
    var concurrency = 4

    @Flag(help: "With the images in a bucket: download every object and check its SHA-256, not only its size.")
    var deep = false

    @OptionGroup var s3: S3CredentialsOptions

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var archive: ArchiveOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 32") }
    }

    func run() async throws {
      let store = try openStore()
      // The lock keeps a sync from writing files while they are checked; a folder nobody may write
      // has no lock file, and no writer either.
      let lock: SyncLock?
      do {
        lock = try SyncLock.acquire(in: store.directory)
      } catch .locked(let holder) {
        Console.err("mjarchive: a sync is running on this archive (\(holder)): verify after it ends")
        throw ExitCode(4)
      } catch {
        guard !repair else {
          Console.err("mjarchive: \(error.description)")
          throw ExitCode(1)
        }
        lock = nil
      }
      defer { withExtendedLifetime(lock) {} }
      // With a bucket, one connection pool serves the checks and the repair's uploads.
      try await withTransport { transport in try await verifying(store, transport: transport) }
    }

    /// Checks the local files, or the bucket's objects and the local cache; repairs when asked; prints.
    private func verifying(_ store: ArchiveStore, transport: AsyncHTTPClientTransport) async throws {
      let bucket: BucketImageStore?
      do {
        bucket = try s3.rememberedStore(for: store, transport: transport)
      } catch {
        throw CommandFailure(error).reported()
      }
      let line = SyncProgressLine(label: "verify")
      let started = ContinuousClock.now
      let verifier = ArchiveVerifier(store: store)
      let report: VerifyReport
      do throws(SyncError) {
        report =
          if let bucket {
            try await verifier.verify(in: bucket, deep: deep) { line.draw($0) }
          } else {
            try verifier.verify { line.draw($0) }
          }
      } catch {
        line.finish()
        throw CommandFailure(error).reported()
      }
      line.finish()
      let seconds = (ContinuousClock.now - started).inSeconds
      var repaired: RepairReport?
      if repair && !report.isClean {
        repaired = try await repairing(report, store: store, bucket: bucket)
      }
      if output.json {
        Console.out(report.json(repaired: repaired).serialized())
      } else {
        printText(report, repaired: repaired, seconds: seconds)
      }
      for failure in repaired?.failures ?? [] {
        Console.err("mjarchive: \(failure)")
      }
      if let repaired {
        if !repaired.failures.isEmpty || !repaired.keptDamaged.isEmpty { throw ExitCode.failure }
      } else if !report.isClean {
        throw ExitCode.failure
      }
    }

    /// The writer where this user may write (FTS5's check is a write statement to SQLite), else a reader.
    private func openStore() throws -> ArchiveStore {
      if repair { return try archive.open(create: false, pageCacheMegabytes: 16) }
      do {
        return try ArchiveStore(directory: archive.directory, create: false, pageCacheMegabytes: 16)
      } catch .cannotOpen {
        return try archive.openForReading()
      } catch {
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      }
    }

    private func repairing(_ report: VerifyReport, store: ArchiveStore, bucket: BucketImageStore?) async throws
      -> RepairReport?
    {
      var outcome: Result<RepairReport, SyncError>?
      try await withConnection { client, transport throws(GatewayError) in
        var options = SyncOptions()
        options.concurrency = concurrency
        options.bucket = bucket
        let engine = SyncEngine(client: client, transport: transport, store: store, options: options)
        let line = SyncProgressLine(label: "verify")
        do throws(SyncError) {
          outcome = .success(try await engine.repair(report) { line.draw($0) })
        } catch {
          outcome = .failure(error)
        }
        line.finish()
      }
      switch outcome {
      case .failure(let error)?:
        Console.err("mjarchive: \(error.description)")
        throw ExitCode(error.exitCode)
      case .success(let repaired)?:
        return repaired
      case nil:
        return nil
      }
    }

    private func printText(_ report: VerifyReport, repaired: RepairReport?, seconds: Double) {
      for message in report.databaseProblems { Console.out("database: \(message.singleLine(limit: 300))") }
      if report.searchIndexInStep == false { Console.out("search index: out of step with the tasks") }
      for problem in report.problems { Console.out(problem.description) }
      if report.unhashed > 0 {
        Console.out(
          Self.counted(report.unhashed, "picture") + " without perceptual hashes (`similar`, `duplicates`): "
            + "`mjarchive reindex --hashes` makes them")
      }
      let bytes = ByteCountFormatter.string(fromByteCount: report.bytesChecked, countStyle: .file)
      let index =
        switch report.searchIndexInStep {
        case true?: "search index ok"
        case false?: "search index out of step"
        case nil: "search index not checked (read-only)"
        }
      let checked =
        if let bucket = report.bucket {
          Self.counted(report.filesChecked, "object") + " in \(bucket) (\(bytes), "
            + (report.deep ? "hashed" : "sizes only") + ")"
        } else {
          Self.counted(report.filesChecked, "file") + " (\(bytes))"
        }
      Console.out(
        "checked \(checked) of \(report.rows) image rows in "
          + String(format: "%.1f s", seconds) + "; database \(report.databaseProblems.isEmpty ? "ok" : "DAMAGED"); "
          + index + "; " + summary(report))
      if let repaired {
        var done = [Self.counted(repaired.tasksRepaired, "task") + " repaired"]
        if repaired.imagesDownloaded > 0 {
          done.append(
            Self.counted(repaired.imagesDownloaded, "image") + " downloaded in "
              + Self.counted(repaired.requests, "request"))
        }
        if repaired.reuploaded > 0 { done.append("\(repaired.reuploaded) uploaded again from the cache") }
        if repaired.straysRemoved > 0 { done.append(Self.counted(repaired.straysRemoved, "stray") + " removed") }
        if repaired.searchIndexRebuilt { done.append("search index rebuilt") }
        if !repaired.keptDamaged.isEmpty {
          done.append(Self.counted(repaired.keptDamaged.count, "damaged file") + " kept in images/damaged/")
        }
        if !repaired.failures.isEmpty { done.append("\(repaired.failures.count) left (below)") }
        Console.out("repair: " + done.joined(separator: ", "))
      } else if !report.isClean && report.databaseProblems.isEmpty {
        Console.out("`mjarchive verify --repair` repairs them")
      }
    }

    private func summary(_ report: VerifyReport) -> String {
      guard !report.problems.isEmpty else { return "no problems" }
      let counts = Dictionary(grouping: report.problems, by: \.kind.rawValue).mapValues(\.count)
      return Self.counted(report.problems.count, "problem") + " ("
        + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")"
    }

    /// "1 file", "2 files".
    private static func counted(_ count: Int, _ noun: String) -> String {
      "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
  }
}
