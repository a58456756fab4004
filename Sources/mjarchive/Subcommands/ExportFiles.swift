import ArchiveStore
import ArgumentParser
import FileExport
import Foundation
import MidjourneyAPI
import Sync

extension MJArchive {
  /// The `mjarchive export-files <dir>` command.
  struct ExportFiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export-files",
      abstract: "Write the archive's pictures into folders to browse, with the prompt inside each PNG.",
      discussion: """
        Files are named by --layout from these fields: {year} {month} {day} {date} {time} (UTC, of the submit), \
        {prompt} (the prompt without parameters or image links), {id}, {action}, {kind}, {part} and {-part} \
        (the quadrant, 1–4, empty for a whole picture), {ext}, {job}; {field:N} keeps at most N bytes. Every value \
        is made safe for any file system (no / or control characters, no reserved Windows names), and a name taken \
        gets ~2, ~3… Each PNG is a copy with the prompt and parameters added as PNG text (Description, \
        parameters) and XMP (dc:description, dc:subject, xmp:CreateDate, the task, its parent and job), which \
        exiftool, digiKam, Lightroom and Windows Explorer show; the archive's own files never change. Other files \
        (WEBP, JPEG, or all with --no-metadata) are hard-linked from the archive, or copied (--copy, or on another \
        file system). A second export writes only what changed and removes what it wrote that is no longer \
        selected; it never touches a file it did not make (the folder's .mjarchive-export.json lists them).
        """)

    @Argument(help: "The folder to write into (created if missing; other files in it are left alone).")
    var folder: String

    @Option(help: "Where each file goes, relative to the folder.")
    var layout = FileLayout.standard

    @Option(help: "Which pictures: originals (every task's picture), quadrants, upscales or all.")
    var kind = ExportKind.originals

    @Option(help: "Export only the tasks this search matches (same syntax as `mjarchive search`).")
    var query: String?

    @OptionGroup var filters: SearchFilterOptions

    @Flag(inversion: .prefixedNo, help: "Write the prompt and parameters into each PNG.")
    var metadata = true

    @Flag(help: "Write a .json file beside each picture with its task's text.")
    var sidecars = false

    @Flag(help: "Copy files written without metadata instead of hard-linking them.")
    var copy = false

    @OptionGroup var credentials: S3CredentialsOptions

    @OptionGroup var archive: ArchiveOptions

    func validate() throws {
      guard !folder.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw ValidationError("the folder must be a path")
      }
      do {
        _ = try FileLayout(layout)
      } catch {
        throw ValidationError(error.description)
      }
    }

    func run() async throws {
      // One pass over the archive: a small page cache keeps the process small.
      let store = try archive.openForReading(pageCacheMegabytes: 8)
      let imagesBucket = try CommandFailure.reporting { try BucketSettings.remembered(in: store) }
      var options = FileExportOptions(
        layout: try FileLayout(layout), kind: kind, copy: copy, metadata: metadata, sidecars: sidecars)
      if query != nil || filters.isSet {
        var search = SearchQuery(text: query ?? "")
        try reportingStoreErrors { () throws(StoreError) in try filters.apply(to: &search) }
        options.query = search
      }
      let line = StageProgressLine(command: "export-files")
      let report: FileExportReport
      do {
        report = try await withTransport { transport in
          let fetch = imagesBucket.map { fetcher($0, transport: transport) }
          return try await FileExporter(
            store: store, destination: URL(fileURLWithPath: folder), options: options, fetch: fetch
          ).run { done, total in line.draw(stage: "writing", done: done, total: total) }
        }
      } catch {
        line.finish()
        throw CommandFailure(error).reported()
      }
      line.finish()
      Self.print(report)
    }

    /// Reads what the local cache of an archive keeping its images in a bucket lacks from the bucket, whose
    /// credentials are asked for only then.
    private func fetcher(_ settings: BucketSettings, transport: any HTTPTransport) -> FileExporter.Fetch {
      let (credentials, directory) = (credentials, archive.directory)
      return { path, sha256, bytes in
        let read = try credentials.store(settings, transport: transport).reader(cachedIn: directory)
        return try await read(path, sha256, bytes)
      }
    }

    /// One summary line.
    static func print(_ report: FileExportReport) {
      var parts = [
        "\(report.withMetadata) with metadata", "\(report.linked) linked", "\(report.copied) copied",
      ]
      if report.sidecars > 0 { parts.append("\(report.sidecars) sidecars") }
      parts += ["\(report.unchanged) unchanged", "\(report.removed) removed"]
      if report.leftAlone > 0 { parts.append("\(report.leftAlone) changed by someone else, left alone") }
      if report.missing > 0 { parts.append("\(report.missing) missing from the archive (see `mjarchive verify`)") }
      Console.out("\(report.files == 1 ? "1 file" : "\(report.files) files"): " + parts.joined(separator: ", "))
    }
  }
}
