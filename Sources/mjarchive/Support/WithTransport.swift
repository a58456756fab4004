import GatewayHTTP

/// Runs `body` with a new connection pool (for a bucket's server), shut down after, whatever `body` does.
func withTransport<T>(_ body: (AsyncHTTPClientTransport) async throws -> T) async throws -> T {
  let transport = AsyncHTTPClientTransport()
  do {
    let result = try await body(transport)
    await transport.shutdown()
    return result
  } catch {
    await transport.shutdown()
    throw error
  }
}
