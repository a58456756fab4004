import Synchronization

/// Remembers which list routes a gateway turned out not to have, so the fallback is taken once.
final class ListSupportMemory: Sendable {
  private let missing = Mutex<Set<String>>([])

  func mayHave(_ endpoint: GatewayEndpoint) -> Bool {
    missing.withLock { !$0.contains(endpoint.path) }
  }

  func markMissing(_ endpoint: GatewayEndpoint) {
    _ = missing.withLock { $0.insert(endpoint.path) }
  }
}
