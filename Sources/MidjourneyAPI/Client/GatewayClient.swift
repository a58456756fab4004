import Basics
import Foundation

/// Talks to a midjourney-proxy style gateway: every submit route, fetch, and the list routes.
///
/// Reads are retried with backoff on timeouts, 5xx and 429; a submit is retried only when it
/// provably did not reach the gateway (connection refused, 429, 503), because a repeated
/// imagine costs the user money.
public struct GatewayClient: Sendable {
  public let configuration: GatewayConfiguration
  public var retryPolicy: RetryPolicy
  let transport: any HTTPTransport
  let listSupport = ListSupportMemory()

  public init(configuration: GatewayConfiguration, transport: any HTTPTransport, retryPolicy: RetryPolicy = .standard) {
    self.configuration = configuration
    self.transport = transport
    self.retryPolicy = retryPolicy
  }

  // MARK: - Submit

  /// Submits a text prompt, with optional reference images as data URLs.
  public func imagine(prompt: String, images: [String] = [], state: String? = nil) async throws(GatewayError)
    -> SubmitResult
  {
    try await submit(.imagine(prompt: prompt, images: images, state: state))
  }

  /// Blends 2–5 images (data URLs).
  public func blend(images: [String], dimensions: BlendDimensions, state: String? = nil) async throws(GatewayError)
    -> SubmitResult
  {
    try await submit(try .blend(images: images, dimensions: dimensions, state: state))
  }

  /// Asks for four prompts that describe an image (a data URL).
  public func describe(image: String, state: String? = nil) async throws(GatewayError) -> SubmitResult {
    try await submit(.describe(image: image, state: state))
  }

  /// Asks for a shortened analysis of a prompt.
  public func shorten(prompt: String, state: String? = nil) async throws(GatewayError) -> SubmitResult {
    try await submit(.shorten(prompt: prompt, state: state))
  }

  /// Presses a button (`customId`) of task `taskId`, making a child task.
  public func action(taskId: String, customId: String, state: String? = nil) async throws(GatewayError) -> SubmitResult
  {
    try await submit(try .action(taskId: taskId, customId: customId, state: state))
  }

  /// Completes a task waiting in MODAL (custom zoom, vary region) with a prompt and/or a mask.
  public func modal(taskId: String, prompt: String?, maskBase64: String?) async throws(GatewayError) -> SubmitResult {
    try await submit(try .modal(taskId: taskId, prompt: prompt, maskBase64: maskBase64))
  }

  /// Sends a submit built beforehand (so the caller could record it first).
  ///
  /// - Throws: `GatewayError`; `mayHaveReachedGateway` on the error says whether a task may exist anyway.
  public func submit(_ request: SubmitRequest) async throws(GatewayError) -> SubmitResult {
    let endpoint = request.endpoint
    let taskId = request.taskId
    let response = try await send(endpoint, body: .object(request.body))
    try Self.checkStatus(response, endpoint: endpoint, taskId: taskId)
    let answer = try SubmitResponse(json: try Self.jsonBody(response), raw: response.body)
    let outcome: SubmitResponse.Outcome
    switch answer.code {
    case .success: outcome = .accepted
    case .inQueue: outcome = .queued
    case .existed where answer.result != nil:
      let text = answer.description.lowercased()
      let isModal = text.contains("window") || text.contains("modal") || text.contains("confirm")
      outcome = isModal || endpoint == .action ? .waitingForModal : .alreadyExists
    case .queueRejected: throw GatewayError.queueFull(description: answer.description)
    case .bannedPrompt:
      throw GatewayError.bannedPrompt(word: answer.properties["bannedWord"]?.textValue, description: answer.description)
    case .validationError: throw GatewayError.validation(description: answer.description)
    case .notFound where taskId != nil: throw GatewayError.taskNotFound(id: taskId ?? "")
    default: throw GatewayError.refused(code: answer.code, description: answer.description)
    }
    guard let id = answer.result else {
      throw GatewayError.malformedResponse("the gateway accepted the submit but sent no task id")
    }
    guard TaskID.isValid(id) else {
      throw GatewayError.malformedResponse("the gateway sent an unusable task id \"\(id.singleLine(limit: 40))\"")
    }
    return SubmitResult(taskId: id, outcome: outcome, response: answer)
  }

  // MARK: - Read

  /// Fetches one task.
  ///
  /// - Throws: `GatewayError.taskNotFound` for 404, 204 or an empty answer; other `GatewayError`s as they come.
  public func fetch(id: String) async throws(GatewayError) -> GatewayTask {
    let endpoint = GatewayEndpoint.fetch(id: try TaskID.validated(id))
    return try await read(endpoint, body: nil) { response throws(GatewayError) in
      // A missing task may come as 404, 204 or an empty 200; an empty 4xx/5xx is that status.
      if response.status == 404 || response.status == 204 || (response.status == 200 && Self.isBlank(response.body)) {
        throw GatewayError.taskNotFound(id: id)
      }
      try Self.checkStatus(response, endpoint: endpoint, taskId: id)
      let json = try Self.jsonBody(response)
      if json == .null { throw GatewayError.taskNotFound(id: id) }
      let task = try GatewayTask(json: json, raw: response.body)
      // Only what the gateway says of the task asked for is believed: another one is never stored over it.
      guard task.id == id else {
        throw GatewayError.malformedResponse(
          "asked for task \(id), the gateway answered with task \(task.id.singleLine(limit: 64)); it was not stored")
      }
      return task
    }
  }

  // MARK: - HTTP

  /// Sends a read and decodes its answer, retrying a 2xx answer that arrives broken (cut JSON, an
  /// HTML page) like any other failed read: a poll must not give up on one damaged answer.
  func read<T>(
    _ endpoint: GatewayEndpoint, body: JSONValue?, timeout: Duration? = nil,
    decode: (TransportResponse) throws(GatewayError) -> T
  ) async throws(GatewayError) -> T {
    var attempt = 1
    while true {
      let response = try await send(endpoint, body: body, timeout: timeout)
      do {
        return try decode(response)
      } catch {
        let broken: Bool
        switch error {
        case .malformedResponse, .notJSON: broken = (200..<300).contains(response.status)
        default: broken = false
        }
        guard broken, attempt < retryPolicy.maximumAttempts else { throw error }
      }
      do {
        try await retryPolicy.sleep(retryPolicy.delay(afterAttempt: attempt, retryAfter: nil))
      } catch {
        throw GatewayError.transport("cancelled")
      }
      attempt += 1
    }
  }

  /// Sends one request (`timeout`: longer than the configured one, for a slow route), retrying what may be retried.
  func send(_ endpoint: GatewayEndpoint, body: JSONValue?, timeout: Duration? = nil) async throws(GatewayError)
    -> TransportResponse
  {
    var headers: [(name: String, value: String)] = [("Accept", "application/json")]
    if let key = configuration.apiKey { headers.append(("Authorization", "Bearer " + key)) }
    if body != nil { headers.append(("Content-Type", "application/json")) }
    let request = TransportRequest(
      method: endpoint.method, url: configuration.url(for: endpoint), headers: headers,
      body: body.map { Data($0.serialized().utf8) }, timeout: timeout ?? configuration.requestTimeout)
    var attempt = 1
    while true {
      let retryAfter: Duration?
      do {
        let response = try await transport.perform(request)
        let retryable = response.status == 429 || (endpoint.isSubmit ? response.status == 503 : response.status >= 500)
        guard retryable, attempt < retryPolicy.maximumAttempts else {
          if response.status == 429 { throw GatewayError.rateLimited }
          return response
        }
        retryAfter = RetryPolicy.parseRetryAfter(response.header("Retry-After"))
      } catch let error as TransportError {
        let retryable: Bool
        switch error {
        case .connectionRefused, .proxyRefused: retryable = true
        case .timedOut, .tooSlow, .connectionClosed: retryable = !endpoint.isSubmit
        default: retryable = false
        }
        guard retryable, attempt < retryPolicy.maximumAttempts else { throw gatewayError(error) }
        retryAfter = nil
      } catch let error as GatewayError {
        throw error
      } catch {
        throw GatewayError.transport(String(describing: error))
      }
      do {
        try await retryPolicy.sleep(retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter))
      } catch {
        throw GatewayError.transport("cancelled")
      }
      attempt += 1
    }
  }

  func gatewayError(_ error: TransportError) -> GatewayError {
    switch error {
    case .connectionRefused(let host): return .connectionRefused(host: host)
    case .proxyRefused(let proxy): return .proxyRefused(proxy: proxy)
    case .timedOut, .tooSlow: return .timedOut(seconds: Int(configuration.requestTimeout.components.seconds))
    case .connectionClosed: return .connectionClosed
    case .bodyTooLarge(let limit): return .malformedResponse("the answer is larger than \(limit >> 20) MB")
    case .invalidRequest(let detail): return .invalidConfiguration(detail)
    case .other(let detail): return .transport(detail)
    }
  }

  /// Turns a non-2xx status into the matching error.
  static func checkStatus(_ response: TransportResponse, endpoint: GatewayEndpoint, taskId: String?)
    throws(GatewayError)
  {
    switch response.status {
    case 200..<300: return
    case 401, 403: throw GatewayError.unauthorized(status: response.status)
    case 404:
      if let taskId, case .fetch = endpoint { throw GatewayError.taskNotFound(id: taskId) }
      throw GatewayError.routeNotFound(path: endpoint.path)
    case 429: throw GatewayError.rateLimited
    default:
      if case .notJSON(let status, let kind) = classifyBody(response) {
        throw GatewayError.notJSON(status: status, looksLike: kind)
      }
      throw GatewayError.httpStatus(response.status)
    }
  }

  /// The body parsed, when it is JSON; otherwise an error saying what it looks like (HTML page, empty, truncated).
  static func jsonBody(_ response: TransportResponse) throws(GatewayError) -> JSONValue {
    switch classifyBody(response) {
    case .json(let value): return value
    case .brokenJSON(let error): throw GatewayError.malformedResponse("the JSON is broken: \(error)")
    case .notJSON(let status, let kind): throw GatewayError.notJSON(status: status, looksLike: kind)
    }
  }

  enum BodyKind {
    case json(JSONValue)
    case brokenJSON(JSONParseError)
    case notJSON(status: Int, kind: String)
  }

  static func classifyBody(_ response: TransportResponse) -> BodyKind {
    let body = response.body
    if isBlank(body) { return .notJSON(status: response.status, kind: "an empty body") }
    let first = body.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
      do {
        return .json(try JSONParser.parse(body))
      } catch {
        return .brokenJSON(error)
      }
    }
    if first == UInt8(ascii: "<") || (response.header("Content-Type")?.lowercased().contains("html") ?? false) {
      return .notJSON(status: response.status, kind: "an HTML page")
    }
    if let value = try? JSONParser.parse(body) { return .json(value) }
    return .notJSON(status: response.status, kind: "a non-JSON body")
  }

  static func isBlank(_ body: Data) -> Bool {
    body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
  }

}
