import Basics
import Foundation

extension GatewayClient {
  /// The first ask makes the gateway send a Discord `/show` and wait for it: up to a minute.
  static let imageSeedTimeout = Duration.seconds(90)

  /// Asks the gateway for the seed of a finished task's picture.
  ///
  /// - Throws: `GatewayError` for a refused key, a network failure, or an answer that is not the gateway's JSON
  ///   (a seed that is not a number is not believed).
  public func imageSeed(id: String) async throws(GatewayError) -> ImageSeedAnswer {
    let endpoint = GatewayEndpoint.imageSeed(id: try TaskID.validated(id))
    let timeout = max(configuration.requestTimeout, Self.imageSeedTimeout)
    return try await read(endpoint, body: nil, timeout: timeout) { response throws(GatewayError) in
      let json: JSONValue?
      if case .json(let value) = Self.classifyBody(response) { json = value } else { json = nil }
      let code = json?["code"]?.textValue.flatMap { Int($0) }
      switch (response.status, code) {
      case (404, 3): return .unknownTask
      case (404, _): return .unsupported
      case (401, _), (403, _): throw GatewayError.unauthorized(status: response.status)
      case (_, 4): return .noMessageHash
      case (200..<300, 1):
        guard let text = json?["result"]?.textValue, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
          let seed = UInt32(text)
        else {
          let shown = json?["result"]?.textValue?.singleLine(limit: 40) ?? "nothing"
          throw GatewayError.malformedResponse("the gateway gave \(shown) as the seed of task \(id)")
        }
        return .seed(String(seed))
      case (_, .some):
        let words = json?["description"]?.textValue?.singleLine(limit: 200) ?? "code \(code ?? 0)"
        return .lookupFailed(words.isEmpty ? "code \(code ?? 0)" : words)
      default:
        try Self.checkStatus(response, endpoint: endpoint, taskId: id)
        _ = try Self.jsonBody(response)
        throw GatewayError.malformedResponse("the gateway's answer for the seed of task \(id) has no code")
      }
    }
  }
}
