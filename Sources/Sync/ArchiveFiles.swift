import ArchiveStore
import Basics
import Crypto
import Foundation
import GridImage
import MidjourneyAPI
import SafeFiles

/// The archive's image folders: originals by SHA-256, quadrants and thumbnails by task id.
///
/// Every file is written under a temporary name, fsynced and renamed into place, so a crash never
/// leaves a partial file under a real name; leftovers of a crash are temporary files, removed by
/// the next sync (which holds the lock, so no other writer can own them). Every file is reached through
/// `OwnedFolder`: a link planted in `images/` is never followed, written or deleted through.
struct ArchiveFiles: Sendable {
  let root: URL
  /// The archive folder, reached without following links below it.
  let owned: OwnedFolder
  /// Redirects followed for one image before giving up.
  static let maximumRedirects = 5
  /// The three folders sync writes, relative to the archive.
  static let folders = ["images/originals", "images/quadrants", "images/thumbs"]

  /// Opens the archive folder.
  init(root: URL) throws(DownloadError) {
    self.root = root
    do {
      owned = try OwnedFolder(root, create: false)
    } catch {
      throw .folder(error)
    }
  }

  /// Makes the image folders (private, like the archive), refusing a link in place of any of them.
  func prepare() throws(DownloadError) {
    do {
      for folder in Self.folders { try owned.folder(folder, mode: 0o700) }
    } catch {
      throw .folder(error)
    }
  }

  /// Removes temporary files a killed run left behind (they are only ever made in these folders and their
  /// subfolders).
  func removeTemporaryFiles() {
    for folder in Self.folders {
      for entry in (try? owned.entries(folder)) ?? [] {
        let path = folder + "/" + entry.name
        if entry.kind == .folder {
          for inner in (try? owned.entries(path)) ?? [] where Self.isTemporary(inner.name) {
            _ = try? owned.remove(path + "/" + inner.name)
          }
        } else if Self.isTemporary(entry.name) {
          _ = try? owned.remove(path)
        }
      }
    }
  }

  static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") && name.hasSuffix(".tmp")
  }

  /// Streams an image into `images/originals/<ab>/<sha256>.<ext>`; an identical image is stored once.
  ///
  /// Redirects are followed here, at most `maximumRedirects`, each hop checked by `policy` first (so
  /// neither the link nor a redirect can lead to a service on this machine), never in a loop, and the
  /// key is sent only to the gateway's own origin.
  func download(
    _ link: ImageLink, transport: any HTTPTransport, policy: DownloadPolicy, timeout: Duration, minimumRate: Int,
    maximumBytes: Int
  ) async throws(DownloadError) -> StoredFile {
    let temporary: OwnedFolder.TemporaryFile
    do {
      temporary = try owned.temporaryFile(in: "images/originals", hint: "download", mode: 0o600)
    } catch {
      throw .folder(error)
    }
    let descriptor = temporary.descriptor
    var settled = false
    defer { if !settled { owned.discard(temporary) } }
    // Hashed and written as it arrives, straight from the network buffers: the file is never read back.
    var hasher = SHA256()
    var completeness = ImageCompleteness()
    var head = Data()
    var response = DownloadResponse(status: 0, bodyBytes: 0)
    var url = link.url
    var visited: Set<String> = []
    for hop in 0...Self.maximumRedirects {
      let destination = policy.destination(for: url)
      if let refusal = destination.refusal { throw DownloadError.refusedLink(refusal) }
      guard visited.insert(url.absoluteString).inserted else {
        throw DownloadError.redirects("the image link redirects in a loop")
      }
      var headers = [(name: "Accept", value: "image/png,image/webp,image/jpeg,image/*")]
      if let authorization = policy.authorization(for: url) {
        headers.append((name: "Authorization", value: authorization))
      }
      // Each hop starts the file afresh: only the last answer's body is the image.
      guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
        throw DownloadError.cannotWrite(path: "images/originals", reason: String(cString: strerror(errno)))
      }
      hasher = SHA256()
      completeness = ImageCompleteness()
      head = Data()
      do {
        response = try await transport.download(
          {
            var request = TransportRequest(
              method: "GET", url: url, headers: headers, timeout: timeout, maximumBodyBytes: maximumBytes,
              minimumBytesPerSecond: minimumRate)
            request.connectTo = destination.address
            return request
          }()
        ) { chunk in
          if head.count < 64 { head += chunk.prefix(64 - head.count) }
          hasher.update(bufferPointer: chunk)
          completeness.update(chunk)
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
    case 429, 503:
      throw DownloadError.throttled(
        status: response.status, retryAfter: RetryPolicy.parseRetryAfter(response.header("Retry-After")))
    default: throw DownloadError.httpStatus(response.status)
    }
    let sha = hasher.finalize().lowercaseHex
    let format = FileKind.describe(head) ?? "something else"
    guard ["PNG", "WEBP", "JPEG"].contains(format) else { throw DownloadError.notAnImage(looksLike: format) }
    // Kept only whole, and as long as the server said: a cut or padded image is retried by the next run.
    if let problem = completeness.problem(expectedBytes: response.header("Content-Length").flatMap(Int.init)) {
      throw DownloadError.incomplete(problem)
    }
    let final =
      "images/originals/\(sha.prefix(2))/\(sha).\(format.lowercased() == "jpeg" ? "jpg" : format.lowercased())"
    do {
      // Stored once by content: a regular file under the name holds these bytes already.
      if try owned.status(final).map({ ($0.st_mode & S_IFMT) == S_IFREG }) != true {
        settled = true
        try owned.commit(temporary, as: final, durable: true)
      }
    } catch {
      throw .folder(error)
    }
    let size = format == "PNG" ? Self.pngSize(head) : nil
    return StoredFile(
      kind: .original, path: final, sha256: sha, format: format, width: size?.width, height: size?.height,
      bytes: response.bodyBytes, sourceURL: link.url.absoluteString)
  }

  /// Writes all of `bytes`, however many calls it takes.
  static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(DownloadError) {
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

  /// The file's SHA-256 in hex and its first 64 bytes, read in 1 MB pieces.
  static func digest(_ url: URL) throws(DownloadError) -> (sha: String, head: Data) {
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    defer { if descriptor >= 0 { close(descriptor) } }
    guard descriptor >= 0, let contents = hash(descriptor) else {
      throw DownloadError.cannotWrite(path: url.path, reason: "cannot read it back")
    }
    return (contents.sha, contents.head)
  }

  /// SHA-256 in hex, first 64 bytes, length and whether it is a whole image (nil, or what is wrong) of what is
  /// left to read from `descriptor`; nil when a read fails (`errno` says why).
  static func hash(_ descriptor: Int32) -> (sha: String, head: Data, bytes: Int64, imageProblem: String?)? {
    var hasher = SHA256()
    var completeness = ImageCompleteness()
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
      completeness.update(chunk)
      total += Int64(count)
    }
    return (hasher.finalize().lowercaseHex, head, total, completeness.problem())
  }

  /// Width and height from a PNG's IHDR.
  static func pngSize(_ head: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](head)
    guard bytes.count >= 24, bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
    return (bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, bytes[20..<24].reduce(0) { $0 << 8 | Int($1) })
  }
}
