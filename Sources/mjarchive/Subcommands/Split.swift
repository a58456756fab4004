import ArgumentParser
import Basics
import Foundation
import GridImage
import MidjourneyAPI

extension MJArchive {
  /// The `mjarchive split <file.png>… [--out DIR] [--thumbs 256,512] [--json]` command.
  struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Split 2×2 grid PNGs into their four quadrants (1 top-left … 4 bottom-right, as U1–U4).",
      discussion: """
        Quadrants keep the source's color type, bit depth, colors and text chunks, and record where they came \
        from in their own text chunks. An odd width or height gives the extra column to the right quadrants and \
        the extra row to the bottom ones. Files are written whole or not at all.
        """)

    @Argument(help: "PNG files.")
    var files: [String]

    @Option(help: "Folder for the quadrants (default: next to each source).")
    var out: String?

    @Option(help: "Also write thumbnails of each quadrant with these longest edges, e.g. 256,512.")
    var thumbs: String?

    @Flag(help: "Encode on one thread only.")
    var singleThread = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
      guard !files.isEmpty else { throw ValidationError("give at least one PNG file") }
      _ = try thumbnailEdges()
    }

    private func thumbnailEdges() throws -> [Int] {
      try thumbs.map(Validation.thumbnailEdges) ?? []
    }

    func run() throws {
      let edges = try thumbnailEdges()
      let splitter = GridSplitter(concurrent: !singleThread)
      var failed = 0
      var created = FolderCreation()
      // A folder made for outputs that never came is removed again (rmdir leaves any that holds files).
      defer { created.removeEmpty() }
      for file in files {
        let source = URL(fileURLWithPath: file)
        let directory = out.map { URL(fileURLWithPath: $0) } ?? source.deletingLastPathComponent()
        let stem = source.deletingPathExtension().lastPathComponent
        do throws(GridImageError) {
          try created.make(directory)
          let quadrants = try splitter.split(file, into: directory, baseName: stem) { quadrant in
            QuadrantMetadata(sourceFile: source.lastPathComponent).chunks(quadrant: quadrant)
          }
          var thumbnails: [URL] = []
          for quadrant in quadrants {
            for edge in edges {
              let destination = directory.appendingPathComponent(
                quadrant.deletingPathExtension().lastPathComponent + "-\(edge).png")
              try Thumbnailer().thumbnail(of: quadrant.path, maxEdge: edge, to: destination)
              thumbnails.append(destination)
            }
          }
          report(source: file, quadrants: quadrants, thumbnails: thumbnails)
        } catch {
          failed += 1
          if output.json {
            var object = JSONObject()
            object["source"] = .string(file)
            object["error"] = .string(error.description)
            Console.out(JSONValue.object(object).serialized())
          } else {
            Console.err("mjarchive: \(error.description.singleLine(limit: 500))")
          }
        }
      }
      if failed > 0 { throw ExitCode.failure }
    }

    private func report(source: String, quadrants: [URL], thumbnails: [URL]) {
      if output.json {
        var object = JSONObject()
        object["source"] = .string(source)
        object["quadrants"] = .array(quadrants.map { .string($0.path) })
        object["thumbnails"] = .array(thumbnails.map { .string($0.path) })
        Console.out(JSONValue.object(object).serialized())
      } else {
        Console.out(
          "\(source.singleLine(limit: 300)) → "
            + quadrants.map { $0.lastPathComponent.singleLine(limit: 200) }.joined(separator: " "))
      }
    }
  }
}
