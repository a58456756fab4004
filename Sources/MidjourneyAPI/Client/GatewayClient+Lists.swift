import Foundation

extension GatewayClient {
  /// Fetches many tasks: `list-by-condition`, else `list-by-ids`, else one `fetch` each.
  ///
  /// Unknown ids are left out. Only tasks asked for are returned: a listed task of another id, and entries past
  /// the number asked for (which are not even read), are reported through `unreadable` instead.
  ///
  /// - Parameter unreadable: Told of each listed entry that is not a usable task (never silently dropped).
  public func tasks(ids: [String], unreadable: (UnreadableTask) -> Void = { _ in }) async throws(GatewayError)
    -> [GatewayTask]
  {
    let valid = try ids.map { (id: String) throws(GatewayError) -> String in try TaskID.validated(id) }
    var found: [GatewayTask] = []
    var start = 0
    while start < valid.count {
      let batch = Array(valid[start..<min(start + 100, valid.count)])
      start += batch.count
      found += try await listBatch(batch, unreadable: unreadable)
    }
    return found
  }

  func listBatch(_ ids: [String], unreadable: (UnreadableTask) -> Void) async throws(GatewayError)
    -> [GatewayTask]
  {
    for endpoint in [GatewayEndpoint.listByCondition, .listByIds] where listSupport.mayHave(endpoint) {
      var body = JSONObject()
      body["ids"] = .array(ids.map(JSONValue.string))
      let listed = try await read(endpoint, body: .object(body)) { response throws(GatewayError) in
        try Self.decodeTaskList(response, limit: ids.count, unreadable: unreadable)
      }
      if let listed {
        let asked = Set(ids)
        return listed.filter { task in
          if asked.contains(task.id) { return true }
          unreadable(
            UnreadableTask(
              id: task.id, reason: "the gateway answered with this task, which was not asked for; not stored"))
          return false
        }
      }
      listSupport.markMissing(endpoint)
    }
    var found: [GatewayTask] = []
    for id in ids {
      do {
        found.append(try await fetch(id: id))
      } catch .taskNotFound {
        continue
      }
    }
    return found
  }

  /// False once the gateway turned out to have neither list route, so many tasks cost one fetch each.
  public var mayListManyTasks: Bool {
    listSupport.mayHave(.listByCondition) || listSupport.mayHave(.listByIds)
  }

  /// The gateway's recent tasks (`GET /mj/task/list`), or nil where the gateway has no such route.
  ///
  /// - Parameter unreadable: Told of each listed entry that is not a usable task.
  public func recentTasks(unreadable: (UnreadableTask) -> Void = { _ in }) async throws(GatewayError) -> [GatewayTask]?
  {
    try await read(.list, body: nil) { response throws(GatewayError) in
      try Self.decodeTaskList(response, unreadable: unreadable)
    }
  }

  /// Streams the gateway's whole task list (`GET /mj/task/list`) into `descriptor`, however large (up to
  /// `maximumBytes`), for a reader to take record by record instead of holding it in memory.
  ///
  /// - Returns: False where the gateway has no such route.
  /// - Throws: `GatewayError` for a refused key, another status, a list beyond `maximumBytes` (saying what to do)
  ///   or a failed transfer.
  public func downloadTaskList(into descriptor: Int32, maximumBytes: Int) async throws(GatewayError) -> Bool {
    var headers: [(name: String, value: String)] = [("Accept", "application/json")]
    if let key = configuration.apiKey { headers.append(("Authorization", "Bearer " + key)) }
    // A list of a million tasks is about a gigabyte: a second per 64 KiB on top of the timeout.
    let request = TransportRequest(
      method: "GET", url: configuration.url(for: .list), headers: headers, timeout: configuration.requestTimeout,
      maximumBodyBytes: maximumBytes, minimumBytesPerSecond: 64 << 10)
    let response: DownloadResponse
    do {
      response = try await transport.download(request) { bytes in
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
          let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
          if written < 0 && errno == EINTR { continue }
          guard written > 0 else {
            throw TransportError.other("cannot keep the task list: \(String(cString: strerror(errno)))")
          }
          offset += written
        }
      }
    } catch .bodyTooLarge(let limit) {
      throw GatewayError.malformedResponse(
        "the gateway's task list is larger than "
          + "\(ByteCountFormatter.string(fromByteCount: Int64(limit), countStyle: .memory)), more than sync --discover reads: add tasks with "
          + "`mjarchive track ID…` or `mjarchive import` an export instead")
    } catch {
      throw gatewayError(error)
    }
    if response.status == 404 || response.status == 405 { return false }
    guard (200..<300).contains(response.status) else {
      throw [401, 403].contains(response.status)
        ? GatewayError.unauthorized(status: response.status) : GatewayError.httpStatus(response.status)
    }
    return true
  }

  /// The tasks of a list route's answer, or nil when the gateway has no such route (404, 405).
  ///
  /// - Parameter limit: The most entries read; more are reported once and left unread.
  static func decodeTaskList(
    _ response: TransportResponse, limit: Int = .max, unreadable: (UnreadableTask) -> Void
  ) throws(GatewayError) -> [GatewayTask]? {
    if response.status == 404 || response.status == 405 { return nil }
    try checkStatus(response, endpoint: .list, taskId: nil)
    if isBlank(response.body) { return [] }
    return try decodeTaskArray(response, limit: limit, unreadable: unreadable)
  }

  /// The tasks of a list answer, each with its own bytes; entries that are not tasks are left out.
  static func decodeTaskArray(
    _ response: TransportResponse, limit: Int, unreadable: (UnreadableTask) -> Void
  ) throws(GatewayError) -> [GatewayTask] {
    let elements: [(value: JSONValue, raw: Data)]
    do {
      let parsed = try JSONParser.parseArrayElements(response.body, limit: limit)
      elements = parsed.elements
      if parsed.cut {
        unreadable(
          UnreadableTask(
            id: nil,
            reason: "the gateway answered more entries than the \(limit) tasks asked for; the rest was not read"))
      }
    } catch {
      // Say what the body was (an HTML page, broken JSON…) rather than only that it was no array.
      _ = try jsonBody(response)
      throw GatewayError.malformedResponse("the task list is not a JSON array: \(error)")
    }
    return elements.compactMap { element in
      do throws(GatewayError) {
        let task = try GatewayTask(json: element.value, raw: element.raw)
        guard TaskID.isValid(task.id) else { throw GatewayError.invalidTaskID(task.id) }
        return task
      } catch {
        let id = element.value["id"]?.textValue.flatMap { TaskID.isValid($0) ? $0 : nil }
        unreadable(UnreadableTask(id: id, reason: error.description))
        return nil
      }
    }
  }
}
