import ArchiveStore
import Crypto
import Foundation
import GridImage
import MidjourneyAPI

/// The archive's image folders: originals by SHA-256, quadrants and thumbnails by task id.
///
/// Every file is written under a temporary name, fsynced and renamed into place, so a crash never
/// leaves a partial file under a real name; leftovers of a crash are temporary files, removed by
/// the next sync (which holds the lock, so no other writer can own them).
struct ArchiveFiles: Sendable {
  let root: URL
  /// Redirects followed for one image before giving up.
  static let maximumRedirects = 5

  var originals: URL { root.appendingPathComponent("images/originals") }
  var quadrants: URL { root.appendingPathComponent("images/quadrants") }
  var thumbs: URL { root.appendingPathComponent("images/thumbs") }

  /// Makes the image folders (private, like the archive).
  func prepare() throws(DownloadError) {
    for folder in [originals, quadrants, thumbs] {
      do {
        try FileManager.default.createDirectory(
          at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw DownloadError.cannotWrite(path: folder.path, reason: "the folder cannot be created")
      }
    }
  }

  /// Removes temporary files a killed run left behind (they are only ever made in these three folders).
  func removeTemporaryFiles() {
    for folder in [originals, quadrants, thumbs] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
        unlink(folder.appendingPathComponent(name).path)
      }
    }
  }

  /// Streams an image into `images/originals/<ab>/<sha256>.<ext>`; an identical image is stored once.
  ///
  /// Redirects are followed here, at most `maximumRedirects`, each hop checked by `policy` first (so
  /// neither the link nor a redirect can lead to a service on this machine), never in a loop, and the
  /// key is sent only to the gateway's own origin.
  func download(
    _ link: ImageLink, transport: any HTTPTransport, policy: DownloadPolicy, timeout: Duration, maximumBytes: Int
  ) async throws(DownloadError) -> StoredFile {
    let temporary = originals.appendingPathComponent(".download-\(UUID().uuidString).tmp")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw DownloadError.cannotWrite(
        path: originals.path, reason: "cannot create a file there (\(String(cString: strerror(errno))))")
    }
    var keep = false
    var isOpen = true
    defer {
      if isOpen { close(descriptor) }
      if !keep { unlink(temporary.path) }
    }
    // Hashed and written as it arrives, straight from the network buffers: the file is never read back.
    var hasher = SHA256()
    var head = Data()
    var response = DownloadResponse(status: 0, bodyBytes: 0)
    var url = link.url
    var visited: Set<String> = []
    for hop in 0...Self.maximumRedirects {
      if let refusal = policy.refusal(for: url) { throw DownloadError.refusedLink(refusal) }
      guard visited.insert(url.absoluteString).inserted else {
        throw DownloadError.redirects("the image link redirects in a loop")
      }
      var headers = [(name: "Accept", value: "image/png,image/webp,image/jpeg,image/*")]
      if let authorization = policy.authorization(for: url) {
        headers.append((name: "Authorization", value: authorization))
      }
      // Each hop starts the file afresh: only the last answer's body is the image.
      guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
        throw DownloadError.cannotWrite(path: temporary.path, reason: String(cString: strerror(errno)))
      }
      hasher = SHA256()
      head = Data()
      do {
        response = try await transport.download(
          TransportRequest(method: "GET", url: url, headers: headers, timeout: timeout, maximumBodyBytes: maximumBytes)
        ) { chunk in
          if head.count < 64 { head += chunk.prefix(64 - head.count) }
          hasher.update(bufferPointer: chunk)
          try Self.write(chunk, to: descriptor)
        }
      } catch {
        throw DownloadError.transfer(error.description)
      }
      guard [301, 302, 303, 307, 308].contains(response.status) else { break }
      guard let location = response.header("Location"), let next = URL(string: location, relativeTo: url)?.absoluteURL
      else {
        throw DownloadError.httpStatus(response.status)
      }
      guard hop < Self.maximumRedirects else {
        throw DownloadError.redirects("the image link redirects more than \(Self.maximumRedirects) times")
      }
      url = next
    }
    switch response.status {
    case 200: break
    case 403, 404, 410: throw DownloadError.expired(status: response.status)
    default: throw DownloadError.httpStatus(response.status)
    }
    isOpen = false
    guard fsync(descriptor) == 0, close(descriptor) == 0 else {
      throw DownloadError.cannotWrite(path: temporary.path, reason: "cannot flush it to disk")
    }
    let sha = hasher.finalize().lowercaseHex
    let format = FileKind.describe(head) ?? "something else"
    guard ["PNG", "WEBP", "JPEG"].contains(format) else { throw DownloadError.notAnImage(looksLike: format) }
    let folder = originals.appendingPathComponent(String(sha.prefix(2)))
    let final = folder.appendingPathComponent("\(sha).\(format.lowercased() == "jpeg" ? "jpg" : format.lowercased())")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw DownloadError.cannotWrite(path: folder.path, reason: "the folder cannot be created")
    }
    if !FileManager.default.fileExists(atPath: final.path) {
      guard rename(temporary.path, final.path) == 0 else {
        throw DownloadError.cannotWrite(path: final.path, reason: String(cString: strerror(errno)))
      }
      keep = true
    }
    let size = format == "PNG" ? Self.pngSize(head) : nil
    return StoredFile(
      kind: .original, path: relative(final), sha256: sha, format: format, width: size?.width, height: size?.height,
      bytes: response.bodyBytes, sourceURL: link.url.absoluteString)
  }

  /// Writes all of `bytes`, however many calls it takes.
  private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(DownloadError) {
    var offset = 0
    while offset < bytes.count, let base = bytes.baseAddress {
      let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw DownloadError.cannotWrite(path: "the image file", reason: String(cString: strerror(errno)))
      }
      offset += written
    }
  }

  /// Splits a stored grid PNG into `images/quadrants/<task>-1.png` … `-4.png`, with thumbnails of each.
  func split(_ original: StoredFile, work: ImageWork, thumbnailEdges: [Int]) throws(GridImageError) -> [StoredFile] {
    let source = root.appendingPathComponent(original.path).path
    let metadata = QuadrantMetadata(
      taskId: work.taskId, prompt: work.prompt, finalPrompt: work.finalPrompt, sourceURL: original.sourceURL)
    let outputs = try GridSplitter().split(source, into: quadrants, baseName: work.taskId) {
      metadata.chunks(quadrant: $0)
    }
    var files: [StoredFile] = []
    for (index, output) in outputs.enumerated() {
      let quadrant = try describe(output, kind: .quadrant, part: index + 1, edge: 0)
      files.append(quadrant)
      files += try thumbnails(of: quadrant, taskId: work.taskId, edges: thumbnailEdges)
    }
    return files
  }

  /// Thumbnails of a stored PNG (an original or a quadrant) in `images/thumbs/`.
  func thumbnails(of file: StoredFile, taskId: String, edges: [Int]) throws(GridImageError) -> [StoredFile] {
    var files: [StoredFile] = []
    for edge in edges {
      let name = file.part == 0 ? "\(taskId)-\(edge).png" : "\(taskId)-\(file.part)-\(edge).png"
      let destination = thumbs.appendingPathComponent(name)
      try Thumbnailer().thumbnail(of: root.appendingPathComponent(file.path).path, maxEdge: edge, to: destination)
      files.append(try describe(destination, kind: .thumbnail, part: file.part, edge: edge))
    }
    return files
  }

  /// A row for a PNG this run wrote.
  private func describe(_ url: URL, kind: StoredFile.Kind, part: Int, edge: Int) throws(GridImageError) -> StoredFile {
    let (sha, head): (String, Data)
    do {
      (sha, head) = try Self.digest(url)
    } catch {
      throw GridImageError.cannotRead(path: url.path)
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    let size = Self.pngSize(head)
    return StoredFile(
      kind: kind, part: part, edge: edge, path: relative(url), sha256: sha, format: "PNG", width: size?.width,
      height: size?.height, bytes: bytes)
  }

  private func relative(_ url: URL) -> String {
    let base = root.standardizedFileURL.path
    let path = url.standardizedFileURL.path
    return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
  }

  /// The file's SHA-256 in hex and its first 64 bytes, read in 1 MB pieces.
  static func digest(_ url: URL) throws(DownloadError) -> (sha: String, head: Data) {
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    defer { if descriptor >= 0 { close(descriptor) } }
    guard descriptor >= 0, let contents = hash(descriptor) else {
      throw DownloadError.cannotWrite(path: url.path, reason: "cannot read it back")
    }
    return (contents.sha, contents.head)
  }

  /// SHA-256 in hex, first 64 bytes and length of what is left to read from `descriptor`; nil when a read
  /// fails (`errno` says why).
  static func hash(_ descriptor: Int32) -> (sha: String, head: Data, bytes: Int64)? {
    var hasher = SHA256()
    var head = Data()
    var total: Int64 = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count = read(descriptor, buffer.baseAddress, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { return nil }
      if count == 0 { break }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
      if head.count < 64 { head += chunk.prefix(64 - head.count) }
      hasher.update(bufferPointer: chunk)
      total += Int64(count)
    }
    return (hasher.finalize().lowercaseHex, head, total)
  }

  /// Width and height from a PNG's IHDR.
  static func pngSize(_ head: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](head)
    guard bytes.count >= 24, bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
    return (bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, bytes[20..<24].reduce(0) { $0 << 8 | Int($1) })
  }
}
