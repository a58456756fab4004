import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts the simulated gateway's callbacks, as midjourney-proxy does: the task JSON to its `notifyHook` on every
/// step, no signature, no retry, a failure only counted.
struct HookSender: Sendable {
  let gateway: SimulatorGateway
  /// How often task steps are looked at.
  static let tick: Duration = .milliseconds(50)

  /// Looks for due callbacks every tick and posts them, each on its own task, until cancelled.
  func run() async {
    let delay = gateway.configuration.hookFaults.delayMilliseconds
    await withDiscardingTaskGroup { group in
      while !Task.isCancelled {
        for callback in gateway.dueCallbacks() {
          for _ in 0..<callback.copies {
            group.addTask {
              if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
              gateway.countDelivery(succeeded: await post(callback))
            }
          }
        }
        try? await Task.sleep(for: Self.tick)
      }
      group.cancelAll()
    }
  }

  private func post(_ callback: HookCallback) async -> Bool {
    var request = HTTPClientRequest(url: callback.url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: callback.body))
    do {
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
      _ = try? await response.body.collect(upTo: 64 << 10)
      return (200..<300).contains(response.status.code)
    } catch {
      return false
    }
  }
}
