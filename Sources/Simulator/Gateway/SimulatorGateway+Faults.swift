import CPNGShim
import Foundation
import GridImage
import MidjourneyAPI
import Synchronization

extension SimulatorGateway {
  func applyingFault(
    route: FaultRoute, request: SimulatorRequest, _ answer: () -> SimulatorResponse
  ) -> SimulatorResponse {
    guard let fault = nextFault(for: route) else { return answer() }
    switch fault {
    case .gzipWhenAsked:
      var response = answer()
      let accepted = request.headers.contains {
        $0.name.lowercased() == "accept-encoding" && $0.value.lowercased().contains("gzip")
      }
      guard accepted else { return response }
      var encoded = [UInt8](repeating: 0, count: response.body.count + 1_024)
      let count = response.body.withUnsafeBytes { body in
        cpng_gzip(body.bindMemory(to: UInt8.self).baseAddress, body.count, &encoded, encoded.count)
      }
      response.body = Data(encoded.prefix(count))
      response.headers.append(("Content-Encoding", "gzip"))
      return response
    case .htmlError(let status):
      return .html(
        status: status,
        title: status == 502
          ? "Bad Gateway" : status == 503 ? "Service Temporarily Unavailable" : "Internal Server Error")
    case .rateLimited(let seconds):
      var response = SimulatorResponse.json(
        .object(JSONObject(["code": .integer(429), "description": "Too Many Requests"])), status: 429)
      response.headers.append(("Retry-After", String(seconds)))
      return response
    case .slow(let seconds):
      var response = answer()
      response.delaySeconds = seconds
      return response
    case .truncatedJSON:
      var response = answer()
      response.body = response.body.prefix(response.body.count / 2)
      return response
    case .truncatedBody:
      var response = answer()
      response.truncateOnWire = true
      return response
    case .hostileListEntry:
      var response = answer()
      if case .array(var tasks)? = try? JSONParser.parse(response.body), var first = tasks.first?.objectValue {
        first["id"] = .string("../../etc/passwd")
        tasks[0] = .object(first)
        response.body = Data(JSONValue.array(tasks).serialized().utf8)
      }
      return response
    case .expiredLink:
      return .text(status: 403, "This content is no longer available.")
    case .redirect(let location):
      return SimulatorResponse(status: 302, headers: [("Location", location), ("Content-Length", "0")])
    case .emptyBody:
      _ = answer()
      return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")])
    case .trickle(let bytes, let interval):
      var response = answer()
      response.trickleBytes = bytes
      response.trickleInterval = interval
      return response
    case .replacedBody(let body):
      _ = answer()
      return SimulatorResponse(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
  }

  func nextFault(for route: FaultRoute) -> Fault? {
    let plan = configuration.faults
    return state.withLock { state -> Fault? in
      if let index = state.scripted.firstIndex(where: { $0.route.matches(route) }) {
        return state.scripted.remove(at: index).fault
      }
      guard state.randomFaults else { return nil }
      if route == .image {
        let roll = Double.random(in: 0..<1, using: &state.random)
        if roll < plan.truncatedImageRate { return .truncatedBody }
        return roll < plan.truncatedImageRate + plan.expiredImageRate ? .expiredLink : nil
      }
      let roll = Double.random(in: 0..<1, using: &state.random)
      var threshold = plan.serverErrorRate
      if roll < threshold { return .htmlError(status: 502) }
      threshold += plan.rateLimitRate
      if roll < threshold { return .rateLimited(retryAfter: plan.retryAfterSeconds) }
      threshold += plan.slowRate
      if roll < threshold { return .slow(seconds: plan.slowSeconds) }
      threshold += plan.truncatedJSONRate
      if roll < threshold { return .truncatedJSON }
      return nil
    }
  }
}
