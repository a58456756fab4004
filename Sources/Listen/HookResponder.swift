import ArchiveStore
import Basics
import Foundation
import Hummingbird
import NIOCore

/// Answers the gateway's callbacks: a JSON body naming a task, posted to `/hook/<token>`, gets 204 and is queued.
///
/// Anything else gets a bare status. Nothing in a body is stored: the task is fetched from the gateway.
struct HookResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  let token: HookToken
  let queue: CallbackQueue
  /// Counts not yet added to the archive.
  let counts: Locked<CallbackCounts>
  /// Largest body read (1 MiB: a task's JSON is a few KiB).
  let bodyLimit: Int
  /// Time allowed for a body, from the end of its head.
  let bodyDeadline: Duration

  func respond(to request: Request, context: Context) async throws -> Response {
    let path = request.uri.path
    let prefix = "/hook/"
    // Another method or path, or a wrong token: 404 with no body, the same for all, so a stranger learns nothing.
    guard request.method == .post, path.hasPrefix(prefix), token.matches(path.utf8.dropFirst(prefix.utf8.count))
    else { return reject(.notFound) }
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > bodyLimit {
      return reject(.contentTooLarge)
    }
    guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/json") else {
      return reject(.unsupportedMediaType)
    }
    let body: ByteBuffer
    do {
      body = try await BodyReader.collect(request.body, limit: bodyLimit, deadline: bodyDeadline)
    } catch .tooLarge {
      return reject(.contentTooLarge)
    } catch {
      return reject(.requestTimeout)
    }
    guard let hint = CallbackHint(body: Data(buffer: body)) else { return reject(.badRequest) }
    switch queue.add(hint) {
    case .queued:
      counts.withLock { $0.received += 1 }
    case .coalesced:
      counts.withLock {
        $0.received += 1
        $0.coalesced += 1
      }
    case .full:
      return reject(.serviceUnavailable)
    }
    return Response(status: .noContent)
  }

  private func reject(_ status: HTTPResponse.Status) -> Response {
    counts.withLock { $0.rejected += 1 }
    // Close the connection: a refused body is not read on.
    var response = Response(status: status)
    response.headers[.connection] = "close"
    return response
  }
}
