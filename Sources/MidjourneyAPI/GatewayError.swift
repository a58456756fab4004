import Basics
import Foundation

/// Everything that can go wrong talking to the gateway, each with one sentence that says what to do next.
///
/// Messages never contain the API key; text that came from the gateway is cut to one safe line.
public enum GatewayError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The key was missing, wrong or not allowed (HTTP 401/403).
  case unauthorized(status: Int)
  /// The prompt contains a word the gateway bans (code 24).
  case bannedPrompt(word: String?, description: String)
  /// The gateway's queue is full (code 23).
  case queueFull(description: String)
  /// The gateway rejected the request's content (code 4).
  case validation(description: String)
  /// The gateway refused with some other code.
  case refused(code: SubmitCode, description: String)
  /// Too many requests, and retrying did not help (HTTP 429).
  case rateLimited
  /// No task with that id (HTTP 404, an empty answer, code 3).
  case taskNotFound(id: String)
  /// The gateway has no such route: the base URL or mode prefix is probably wrong.
  case routeNotFound(path: String)
  /// The answer was not JSON, e.g. an HTML error page or an empty body.
  case notJSON(status: Int, looksLike: String)
  /// The answer was JSON of the wrong shape, or broken JSON.
  case malformedResponse(String)
  /// An HTTP error status with a JSON body.
  case httpStatus(Int)
  /// The gateway did not answer in time.
  case timedOut(seconds: Int)
  /// Nothing listens at the gateway's address.
  case connectionRefused(host: String)
  /// The HTTP proxy refused the connection.
  case proxyRefused(proxy: String)
  /// The connection closed before the whole answer arrived.
  case connectionClosed
  /// Another network failure.
  case transport(String)
  /// A task id that cannot be used in a URL or file name.
  case invalidTaskID(String)
  /// A task ended in FAILURE.
  case taskFailed(id: String, reason: String)
  /// Waiting for a task took longer than allowed.
  case waitTimedOut(id: String, seconds: Int)
  /// The configuration (base URL, key, mode, proxy) is unusable.
  case invalidConfiguration(String)
  /// The task has no button matching what was asked for.
  case noSuchButton(requested: String, available: [String])
  /// An input image could not be used.
  case invalidImage(path: String, reason: String)
  /// A submitted task could not be followed to its end (the submit itself succeeded).
  case followingFailed(id: String, cause: String, exitCode: Int32)
  /// A submit's answer was lost after it may have reached the gateway; the task may exist, findable by its `state`.
  case submitOutcomeUnknown(route: String, state: String, cause: String)

  public var description: String {
    switch self {
    case .unauthorized(let status):
      return "the gateway refused the API key (HTTP \(status)): check MJ_API_KEY or --api-key-file"
    case .bannedPrompt(let word, let description):
      if let word, !word.isEmpty {
        return
          "the gateway refused the prompt because it contains the banned word \"\(word.singleLine(limit: 60))\": rephrase it"
      }
      return "the gateway refused the prompt as banned (\(description.singleLine())): rephrase it"
    case .queueFull(let description):
      return "the gateway's queue is full (\(description.singleLine())): try again in a few minutes"
    case .validation(let description):
      return "the gateway rejected the request as invalid: \(description.singleLine())"
    case .refused(let code, let description):
      return "the gateway refused the request with code \(code): \(description.singleLine())"
    case .rateLimited:
      return "the gateway kept answering HTTP 429 (too many requests): wait a minute and try again"
    case .taskNotFound(let id):
      return "the gateway has no task \(id.singleLine(limit: 64)): check the id"
    case .routeNotFound(let path):
      return "the gateway has no route \(path.singleLine()) (HTTP 404): check MJ_BASE_URL and MJ_MODE"
    case .notJSON(let status, let looksLike):
      return
        "the gateway answered HTTP \(status) with \(looksLike) instead of JSON: it may be down or the base URL may be wrong"
    case .malformedResponse(let detail):
      return "the gateway's answer could not be read: \(detail.singleLine())"
    case .httpStatus(let status):
      return "the gateway answered HTTP \(status): try again later"
    case .timedOut(let seconds):
      return "the gateway did not answer within \(seconds) s: try again, or raise --timeout"
    case .connectionRefused(let host):
      return
        "could not connect to \(host.singleLine(limit: 100)) (connection refused): check MJ_BASE_URL and that the gateway is up"
    case .proxyRefused(let proxy):
      return "could not connect to the HTTP proxy \(proxy.singleLine(limit: 100)) (connection refused): check --proxy, "
        + "or $https_proxy / $HTTPS_PROXY / $http_proxy / $HTTP_PROXY (and $no_proxy)"
    case .connectionClosed:
      return "the gateway closed the connection before its answer was complete: try again"
    case .transport(let detail):
      return "could not reach the gateway: \(detail.singleLine())"
    case .invalidTaskID(let id):
      return "\"\(id.singleLine(limit: 40))\" is not a task id (expected up to 64 letters, digits, '-' or '_')"
    case .taskFailed(let id, let reason):
      let why = reason.isEmpty ? "no reason given" : reason.singleLine()
      return "task \(id.singleLine(limit: 64)) failed on the gateway: \(why)"
    case .waitTimedOut(let id, let seconds):
      return "task \(id.singleLine(limit: 64)) was not finished after \(seconds) s: check later with --wait again"
    case .invalidConfiguration(let detail):
      return detail
    case .noSuchButton(let requested, let available):
      let list = available.isEmpty ? "it has none" : "it has " + available.joined(separator: ", ")
      return "the task has no button \"\(requested.singleLine(limit: 60))\": \(list.singleLine(limit: 400))"
    case .invalidImage(let path, let reason):
      return "cannot use image \(path.singleLine(limit: 200)): \(reason)"
    case .followingFailed(let id, let cause, _):
      return
        "task \(id.singleLine(limit: 64)) was submitted and recorded, but following it failed (\(cause.singleLine(limit: 200))): "
        + "`mjarchive sync` fetches it later"
    case .submitOutcomeUnknown(let route, let state, let cause):
      return "the \(route) may have reached the gateway, but its answer was lost (\(cause.singleLine(limit: 200))): "
        + "do not submit it again yet; it is recorded with state \(state.singleLine(limit: 100)), "
        + "and `mjarchive track --pending` finds the task once the gateway lists it"
    }
  }

  /// For an error from a submit: true when the request may have reached the gateway, so a task
  /// (which costs money) may exist although no answer said so.
  public var mayHaveReachedGateway: Bool {
    switch self {
    case .timedOut, .connectionClosed, .transport, .malformedResponse, .notJSON, .httpStatus, .submitOutcomeUnknown:
      return true
    default: return false
    }
  }

  /// What went wrong in a few words, for a sentence that says what to do itself.
  public var cause: String {
    switch self {
    case .timedOut(let seconds): return "no answer within \(seconds) s"
    case .connectionClosed: return "the connection closed before the answer was complete"
    case .notJSON(let status, let looksLike): return "HTTP \(status) with \(looksLike)"
    case .httpStatus(let status): return "HTTP \(status)"
    case .malformedResponse(let detail): return "an unreadable answer: \(detail)"
    case .transport(let detail): return detail
    default: return description
    }
  }

  /// The process exit code DESIGN.md assigns: 3 when the gateway refused, 2 for bad configuration, else 1.
  public var exitCode: Int32 {
    switch self {
    case .followingFailed(_, _, let code): return code
    case .unauthorized, .bannedPrompt, .queueFull, .validation, .refused, .rateLimited: return 3
    case .invalidConfiguration, .invalidTaskID: return 2
    default: return 1
    }
  }
}

extension GatewayError {
  /// Parses a gateway answer, naming `what` it was in the error.
  static func parse(_ raw: Data, what: String) throws(GatewayError) -> JSONValue {
    do {
      return try JSONParser.parse(raw)
    } catch {
      throw GatewayError.malformedResponse("\(what) is invalid JSON: \(error)")
    }
  }
}
