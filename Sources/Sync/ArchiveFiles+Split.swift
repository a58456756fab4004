import ArchiveStore
import Crypto
import Foundation
import GridImage
import MidjourneyAPI
import SafeFiles

extension ArchiveFiles {
  /// Splits a stored grid PNG into `images/quadrants/<task>-1.png` … `-4.png`, with thumbnails of each.
  ///
  /// libpng opens files by path: the source and the output folder are given as paths through descriptors opened
  /// without following links (`/proc/self/fd/N`), so what was checked is what is read and written.
  /// Nothing of a failed split is left behind (quadrants renamed into place and thumbnails made are removed), and
  /// errors name the archive's paths.
  ///
  /// - Returns: The files made, and the perceptual hashes (by content) of each quadrant and of the grid, from the
  ///   thumbnails' pixels (none without thumbnail edges).
  func split(_ original: StoredFile, work: ImageWork, thumbnailEdges: [Int]) throws -> (
    files: [StoredFile], hashes: [String: ImageHashes]
  ) {
    let source = try readable(original.path)
    defer { close(source) }
    let metadata = QuadrantMetadata(
      taskId: work.taskId, prompt: work.prompt, finalPrompt: work.finalPrompt, sourceURL: original.sourceURL)
    let folder = "/proc/self/fd/\(try owned.folder("images/quadrants"))"
    let paths = [("/proc/self/fd/\(source)", owned.path(original.path)), (folder, owned.path("images/quadrants"))]
    let outputs: [URL]
    do {
      outputs = try GridSplitter().split(
        "/proc/self/fd/\(source)", into: URL(fileURLWithPath: folder), baseName: work.taskId
      ) { metadata.chunks(quadrant: $0) }
    } catch {
      throw error.replacingPaths(paths)
    }
    var files: [StoredFile] = []
    var hashes: [String: ImageHashes] = [:]
    var samples: [GreyImage] = []
    do {
      for (index, output) in outputs.enumerated() {
        let quadrant = try describe(
          output, relative: "images/quadrants/" + output.lastPathComponent, kind: .quadrant, part: index + 1, edge: 0)
        files.append(quadrant)
        let made = try thumbnails(of: quadrant, taskId: work.taskId, edges: thumbnailEdges)
        files += made.files
        if let sample = made.sample {
          samples.append(sample)
          hashes[quadrant.sha256] = ImageHashes(sample: sample)
        }
      }
    } catch {
      for output in outputs { _ = try? owned.remove("images/quadrants/" + output.lastPathComponent) }
      for file in files where file.kind == .thumbnail { _ = try? owned.remove(file.path) }
      throw error
    }
    // The grid's own sample is its quadrants' side by side, as it was cut.
    if let grid = GreyImage.grid(samples) { hashes[original.sha256] = ImageHashes(sample: grid) }
    return (files, hashes)
  }

  /// Thumbnails of a stored PNG (an original or a quadrant) in `images/thumbs/`; on a failure, those made are
  /// removed.
  ///
  /// - Returns: The thumbnails, and a grey sample of the picture to hash, from the largest (nil without edges).
  func thumbnails(of file: StoredFile, taskId: String, edges: [Int]) throws -> (
    files: [StoredFile], sample: GreyImage?
  ) {
    let source = try readable(file.path)
    defer { close(source) }
    var files: [StoredFile] = []
    var sample: (edge: Int, image: GreyImage)?
    for edge in edges {
      let name = file.part == 0 ? "\(taskId)-\(edge).png" : "\(taskId)-\(file.part)-\(edge).png"
      let destination = try owned.pathThroughDescriptor("images/thumbs/" + name)
      do {
        let made = try Thumbnailer().sampledThumbnail(
          of: "/proc/self/fd/\(source)", maxEdge: edge, to: URL(fileURLWithPath: destination))
        if edge > sample?.edge ?? 0 { sample = (edge, made.sample) }
        files.append(
          try describe(
            URL(fileURLWithPath: destination), relative: "images/thumbs/" + name, kind: .thumbnail, part: file.part,
            edge: edge))
      } catch {
        for made in files { _ = try? owned.remove(made.path) }
        throw error.replacingPaths([
          ("/proc/self/fd/\(source)", owned.path(file.path)),
          ((destination as NSString).deletingLastPathComponent, owned.path("images/thumbs")),
        ])
      }
    }
    return (files, sample?.image)
  }

  /// An archive file opened for reading, never through a link.
  func readable(_ relative: String) throws -> Int32 {
    guard let descriptor = try owned.openForReading(relative) else {
      throw GridImageError.cannotRead(path: owned.path(relative))
    }
    return descriptor
  }

  /// A row for a PNG this run wrote.
  func describe(_ url: URL, relative: String, kind: StoredFile.Kind, part: Int, edge: Int)
    throws(GridImageError) -> StoredFile
  {
    let (sha, head): (String, Data)
    do {
      (sha, head) = try Self.digest(url)
    } catch {
      throw GridImageError.cannotRead(path: url.path)
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let size = Self.pngSize(head)
    return StoredFile(
      kind: kind, part: part, edge: edge, path: relative, sha256: sha, format: "PNG", width: size?.width,
      height: size?.height, bytes: bytes)
  }
}
