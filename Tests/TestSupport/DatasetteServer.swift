import Foundation
import GatewayHTTP
import MidjourneyAPI

/// Datasette (PyPI; `.ci/run` installs 0.65.5) serving one archive read-only on a free loopback port, for one test.
public struct DatasetteServer: Sendable {
  /// `http://127.0.0.1:PORT`.
  public let baseURL: String

  /// Runs `body` with Datasette serving `database` with the metadata in `metadata`, and stops it after.
  public static func with<T>(
    database: URL, metadata: URL, _ body: (DatasetteServer) async throws -> T
  ) async throws -> T {
    let folder = try LoopbackServerProcess.folder("datasette")
    let port = try LoopbackPort.free()
    let command =
      "datasette serve '\(database.path)' -m '\(metadata.path)' -h 127.0.0.1 -p \(port) --setting facet_time_limit_ms 5000"
    try await withoutBlockingThePool { try LoopbackServerProcess.start(command, in: folder, port: port) }
    do {
      let result = try await body(DatasetteServer(baseURL: "http://127.0.0.1:\(port)"))
      _ = try? await withoutBlockingThePool { LoopbackServerProcess.stop(folder) }
      return result
    } catch {
      _ = try? await withoutBlockingThePool { LoopbackServerProcess.stop(folder) }
      throw error
    }
  }

  /// The JSON answer to `path` (`/archive/tasks.json?…`), which must be 200.
  public func json(_ path: String) async throws -> Any {
    guard let url = URL(string: baseURL + path) else { throw BrowserRun.Failure(message: "not a URL: \(path)") }
    let transport = AsyncHTTPClientTransport()
    let response: TransportResponse
    do {
      response = try await transport.perform(TransportRequest(method: "GET", url: url))
      await transport.shutdown()
    } catch {
      await transport.shutdown()
      throw error
    }
    guard response.status == 200 else {
      throw BrowserRun.Failure(
        message: "\(path): HTTP \(response.status) \(String(decoding: response.body.prefix(500), as: UTF8.self))")
    }
    return try JSONSerialization.jsonObject(with: response.body)
  }
}
