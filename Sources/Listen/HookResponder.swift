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
    else { return await reject(.notFound, draining: request) }
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > bodyLimit {
      return reject(.contentTooLarge)
    }
    guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/json") else {
      return await reject(.unsupportedMediaType, draining: request)
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

  /// Most of a refused body read before the answer: closing on unread bytes resets the connection, and the caller
  /// would see the reset instead of the status.
  static let drainedBytes = 64 << 10

  /// `reject(status)`, after reading a small body of declared length (`drainedBytes` at most, within the body
  /// deadline); a larger or undeclared one is left unread.
  private func reject(_ status: HTTPResponse.Status, draining request: Request) async -> Response {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length <= Self.drainedBytes {
      _ = try? await BodyReader.collect(request.body, limit: Self.drainedBytes, deadline: bodyDeadline)
    }
    return reject(status)
  }

  private func reject(_ status: HTTPResponse.Status) -> Response {
    counts.withLock { $0.rejected += 1 }
    // Close the connection: a refused body is not read on.
    var response = Response(status: status)
    response.headers[.connection] = "close"
    return response
  }
}
